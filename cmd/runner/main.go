// Command runner is the takehome binary: web server, grading workers and the
// admin commands that set them up.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errChecksFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "runner:", err)
		os.Exit(1)
	}
}

// command is one subcommand: its one-line summary and what it does.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is the outside world a command sees, passed in so tests can fake it.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// commands is the table of subcommands; "images build", "user create" and
// "invite create" are spelled with a space.
var commands = map[string]command{
	"serve":                {"run the web server and N grading workers", cmdServe},
	"config":               {"print the effective settings (flags and RUNNER_* variables), password masked", cmdConfig},
	"worker":               {"run grading workers only (for more hosts sharing the database)", cmdWorker},
	"migrate":              {"apply database migrations, then seed the built-in exercises", cmdMigrate},
	"seed":                 {"seed the built-in exercises into the database", cmdSeed},
	"images build":         {"build the sandbox images through the Docker API", cmdImagesBuild},
	"doctor":               {"check the sandbox with real probe containers", cmdDoctor},
	"grade":                {"grade a submission archive or directory synchronously", cmdGrade},
	"exercise import-beir": {"create a retrieval exercise version from a BEIR folder (your own documents)", cmdExerciseImportBEIR},
	"user create":          {"create a staff user and print its password and API token", cmdUserCreate},
	"invite create":        {"create a candidate invite and print its token and URL", cmdInviteCreate},

	"eval classification": {"score a predictions CSV against a labels CSV (scikit-learn 1.2 metrics)", cmdEvalClassification},
	"eval retrieval":      {"score a TREC run against qrels like trec_eval -c, print JSON", cmdEvalRetrieval},
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	name, rest := args[0], args[1:]
	if len(rest) > 0 {
		if _, ok := commands[name+" "+rest[0]]; ok {
			name, rest = name+" "+rest[0], rest[1:]
		}
	}
	cmd, ok := commands[name]
	if !ok {
		usage(stderr)
		return fmt.Errorf("unknown command %q", name)
	}
	return cmd.run(ctx, e, rest)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: runner COMMAND [flags]   (runner COMMAND --help for its flags)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].summary)
	}
}
