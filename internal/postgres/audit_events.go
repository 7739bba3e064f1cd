package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"takehome/grader"
)

type auditRow struct {
	ID     int64
	Actor  string
	Action string
	Target string
	Detail []byte
	At     time.Time
}

func (auditRow) TableName() string { return "audit_events" }

// AddAudit records an event; a zero At means now.
func (s *Store) AddAudit(ctx context.Context, e grader.AuditEvent) error {
	if err := addAudit(s.db.WithContext(ctx), e); err != nil {
		return fmt.Errorf("add audit event: %w", err)
	}
	return nil
}

func addAudit(db *gorm.DB, e grader.AuditEvent) error {
	row, err := newAuditRow(e)
	if err != nil {
		return err
	}
	return db.Create(&row).Error
}

func newAuditRow(e grader.AuditEvent) (auditRow, error) {
	if e.Actor == "" || e.Action == "" {
		return auditRow{}, grader.Errorf(grader.CodeInvalid, "an audit event needs an actor and an action")
	}
	if len(e.Detail) > 0 && !json.Valid(e.Detail) {
		return auditRow{}, grader.Errorf(grader.CodeInvalid, "audit detail is not JSON")
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	return auditRow{Actor: pgText(e.Actor), Action: pgText(e.Action), Target: pgText(e.Target), Detail: nullJSON(e.Detail), At: e.At}, nil
}

// ListAudit returns the latest events, newest first: 100 when limit is zero,
// at most 1000.
func (s *Store) ListAudit(ctx context.Context, limit int) ([]grader.AuditEvent, error) {
	var rows []auditRow
	if err := s.db.WithContext(ctx).Order("at DESC, id DESC").Limit(listLimit(limit)).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	events := make([]grader.AuditEvent, len(rows))
	for i, r := range rows {
		events[i] = grader.AuditEvent{ID: r.ID, Actor: r.Actor, Action: r.Action, Target: r.Target, Detail: r.Detail, At: utc(r.At)}
	}
	return events, nil
}
