package grader

// InviteDefaults are what a new invite gets unless the admin says
// otherwise.
type InviteDefaults struct {
	Days        int `json:"days"`         // until the invite expires
	WindowHours int `json:"window_hours"` // the personal window once started; 0 for none
	Attempts    int `json:"attempts"`     // submissions allowed, both modes
}

// Bounds of the invite settings.
const (
	MaxInviteDays        = 365
	MaxInviteWindowHours = 24 * 30
	MaxInviteAttempts    = 100
)

// DefaultInviteDefaults are the invite defaults until an admin sets them.
var DefaultInviteDefaults = InviteDefaults{Days: 7, WindowHours: 48, Attempts: 5}

// Check reports the first setting out of its bounds.
func (d InviteDefaults) Check() error {
	switch {
	case d.Days < 1 || d.Days > MaxInviteDays:
		return Errorf(CodeInvalid, "days must be a whole number from 1 to %d", MaxInviteDays)
	case d.WindowHours < 0 || d.WindowHours > MaxInviteWindowHours:
		return Errorf(CodeInvalid, "window hours must be a whole number from 0 to %d", MaxInviteWindowHours)
	case d.Attempts < 1 || d.Attempts > MaxInviteAttempts:
		return Errorf(CodeInvalid, "attempts must be a whole number from 1 to %d", MaxInviteAttempts)
	}
	return nil
}
