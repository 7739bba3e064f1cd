package grader

import (
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// passwordCost is the bcrypt cost of every stored password: the web pages'
// and the CLI's alike. bcrypt reads at most 72 bytes of a password.
const passwordCost = bcrypt.DefaultCost

// HashPassword returns the bcrypt hash of a password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), passwordCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// PasswordMatches reports whether password is the one hash was made from.
func PasswordMatches(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
