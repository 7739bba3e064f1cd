package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	gormpg "gorm.io/driver/postgres"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// Pool sizes: the web server, the workers' stores and River share one pool
// per process.
const (
	maxOpenConns    = 20
	maxIdleConns    = 10
	connMaxLifetime = time.Hour
	connMaxIdleTime = 5 * time.Minute
	slowQuery       = 500 * time.Millisecond
)

// Open connects to the database at url through the pgx stdlib driver and
// checks that it answers. gorm logs slow queries to logger at warn level and
// never logs SQL at info.
func Open(ctx context.Context, url string, logger *slog.Logger) (*gorm.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(maxOpenConns)
	sqlDB.SetMaxIdleConns(maxIdleConns)
	sqlDB.SetConnMaxLifetime(connMaxLifetime)
	sqlDB.SetConnMaxIdleTime(connMaxIdleTime)
	db, err := gorm.Open(gormpg.New(gormpg.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 newLogger(logger),
		SkipDefaultTransaction: true, // methods open transactions where they need them
		DisableAutomaticPing:   true, // pinged below, the error returned rather than logged
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, nil
}

// gormLogger sends gorm's log through slog: slow statements at warn, every
// statement at debug only when a session asks for it (db.Debug()). Failed
// statements are not logged: the error goes back to the caller, which logs it
// once where it handles it (conflicts and missing rows are worth no log line).
// Statements are logged without their values, which may be secrets.
type gormLogger struct {
	log   *slog.Logger
	level gormlogger.LogLevel
}

func newLogger(logger *slog.Logger) gormLogger {
	if logger == nil {
		logger = slog.Default()
	}
	return gormLogger{log: logger, level: gormlogger.Warn}
}

// LogMode returns the logger at another level; gorm's Info level logs every
// statement, at debug.
func (l gormLogger) LogMode(level gormlogger.LogLevel) gormlogger.Interface {
	l.level = level
	return l
}

// Info logs a gorm message at info.
func (l gormLogger) Info(ctx context.Context, msg string, args ...any) {
	if l.level >= gormlogger.Info {
		l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
	}
}

// Warn logs a gorm message at warn.
func (l gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	if l.level >= gormlogger.Warn {
		l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
	}
}

// Error logs a gorm message at error.
func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	if l.level >= gormlogger.Error {
		l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
	}
}

// Trace calls fc, which renders the statement, only when it logs.
func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), _ error) {
	elapsed := time.Since(begin)
	switch {
	case elapsed >= slowQuery && l.level >= gormlogger.Warn:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow query", "sql", sql, "rows", rows, "duration_ms", elapsed.Milliseconds())
	case l.level >= gormlogger.Info:
		sql, rows := fc()
		l.log.DebugContext(ctx, "query", "sql", sql, "rows", rows, "duration_ms", elapsed.Milliseconds())
	}
}

// ParamsFilter implements gorm's ParamsFilter: statements are rendered
// without their values.
func (gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}
