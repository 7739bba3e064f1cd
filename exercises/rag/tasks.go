package rag

import (
	"math/rand/v2"
	"strings"
)

// task is a how-to procedure of a product.
type task struct {
	Title   string // article title, e.g. "Enable two-factor authentication"
	Para    string // what a customer would type instead
	Path    string // menu path in the product
	MinPlan int    // first plan that has it
	Delay   string // how soon the change applies
}

// taskSeeds: title, paraphrase, path. {noun}/{nouns}/{Nouns} and the admin
// menu root {root} are filled in per product.
var taskSeeds = [][3]string{
	{"Enable two-factor authentication", "make every sign-in ask for a code from my phone", "{root} > Security > Two-factor authentication"},
	{"Rotate an API key", "swap out the secret token my scripts use", "{root} > Developer > API keys"},
	{"Export your data to CSV", "get all my records out into a spreadsheet", "{root} > Data > Export"},
	{"Add a custom domain", "put the service on my own web address", "{root} > Branding > Domains"},
	{"Invite teammates", "bring colleagues into my account", "People > Invite"},
	{"Change the billing currency", "pay in a different kind of money", "Billing > Payment settings > Currency"},
	{"Set up single sign-on with Okta", "let staff log in through our identity provider", "{root} > Security > SSO"},
	{"Configure webhooks", "have events pushed to my server automatically", "{root} > Developer > Webhooks"},
	{"Restore a deleted {noun}", "bring back something I removed by mistake", "Trash > Restore"},
	{"Transfer account ownership", "hand the whole account over to a coworker", "{root} > Account > Owner"},
	{"Download invoices", "get copies of what I was charged", "Billing > Invoices"},
	{"Cancel your subscription", "stop paying and close things down", "Billing > Plan > Cancel plan"},
	{"Change your plan", "move up or down a tier", "Billing > Plan > Change plan"},
	{"Reset a user's password", "help a colleague who forgot how to log in", "People > Members > Reset password"},
	{"Set up an IP allowlist", "only let our office network reach the account", "{root} > Security > Network access"},
	{"Enable the audit log", "keep a trail of who did what", "{root} > Security > Audit log"},
	{"Import {nouns} from a spreadsheet", "load my existing records from a file", "Data > Import"},
	{"Create a custom user role", "give some people narrower permissions", "People > Roles > New role"},
	{"Schedule a recurring report", "get numbers emailed to me every week", "Reports > Schedules"},
	{"Connect a calendar", "show my appointments alongside everything else", "{root} > Integrations > Calendar"},
	{"Delete your account", "erase everything for good", "{root} > Account > Delete account"},
	{"Change the time zone", "make times show in my local clock", "{root} > General > Time zone"},
	{"Set up email notifications", "be told by email when something changes", "{root} > Notifications"},
	{"Archive old {nouns}", "tidy away old records without losing them", "{Nouns} > Bulk actions > Archive"},
	{"Add a payment method", "put another card on file", "Billing > Payment methods"},
	{"Enable dark mode", "switch the screens to a darker look", "Profile > Appearance"},
	{"Set a data retention period", "make old records vanish automatically after a while", "{root} > Data > Retention"},
	{"Verify your domain", "prove we own our company website", "{root} > Branding > Domain verification"},
	{"Use the mobile app offline", "keep working without signal on my phone", "Mobile app > {root} > Offline mode"},
	{"Merge duplicate {nouns}", "combine records that are the same", "{Nouns} > Duplicates > Merge"},
}

var delays = []string{"immediately", "within 5 minutes", "within 15 minutes", "within an hour"}

var menuRoots = []string{"Settings", "Admin console", "Workspace settings"}

func newTasks(rng *rand.Rand, p *product) []task {
	root := one(rng, menuRoots)
	var out []task
	for _, i := range rng.Perm(len(taskSeeds))[:28] {
		s := taskSeeds[i]
		out = append(out, task{
			Title:   p.fill(s[0]),
			Para:    p.fill(s[1]),
			Path:    strings.ReplaceAll(p.fill(s[2]), "{root}", root),
			MinPlan: rng.IntN(4),
			Delay:   one(rng, delays),
		})
	}
	return out
}

// fill replaces the product's noun placeholders.
func (p *product) fill(s string) string {
	return strings.NewReplacer("{noun}", p.Noun, "{nouns}", p.Nouns, "{Nouns}", strings.ToUpper(p.Nouns[:1])+p.Nouns[1:], "{product}", p.Name).Replace(s)
}

// adminFact is a setting documented only in a product's long administrator
// guide, so finding it means finding the right section of a long page.
type adminFact struct {
	Section  string // heading
	Sentence string // with {v}
	Lex      string // a query that shares words with the sentence
	Para     string // a query that does not
	Value    string
	Unit     string
}

var adminSeeds = []struct {
	Section, Sentence, Lex, Para, Unit string
	Values                             []int
}{
	{"Session timeout", "Idle sessions end after {v} minutes by default.", "What is the default idle session timeout in {product}?", "How long can I leave {product} untouched before it logs me out?", "minutes", []int{30, 45, 60, 90, 120}},
	{"Password rules", "Passwords must be at least {v} characters long.", "What is the minimum password length in {product}?", "How short can a login secret be for {product}?", "characters", []int{8, 10, 12, 14, 16}},
	{"Network access", "The allowlist accepts up to {v} IP ranges per workspace.", "How many IP ranges can the {product} allowlist hold?", "How many office networks can I restrict {product} to?", "ranges", []int{20, 25, 50, 100}},
	{"Account lockout", "{product} locks an account after {v} failed sign-in attempts in a row.", "After how many failed sign-in attempts does {product} lock an account?", "How many wrong tries before {product} shuts me out?", "attempts", []int{5, 6, 8, 10}},
	{"Lockout duration", "A locked account opens again automatically after {v} minutes.", "How long does a {product} account lockout last?", "If I'm shut out of {product}, when can I get back in by myself?", "minutes", []int{15, 20, 30, 60}},
	{"API key expiry", "New API keys expire {v} days after they are created unless an administrator extends them.", "When do new {product} API keys expire?", "How long will the secret token for my {product} scripts keep working?", "days", []int{90, 180, 365, 400}},
	{"Webhook retries", "A failed webhook delivery is retried {v} times with exponential backoff.", "How many times does {product} retry a failed webhook delivery?", "If my server is down, how often will {product} try to push an event again?", "times", []int{3, 5, 8, 10, 12}},
	{"Export links", "Download links for exports stay valid for {v} hours.", "How long are {product} export download links valid?", "How soon must I grab my {product} data dump before the link dies?", "hours", []int{12, 24, 48, 72}},
	{"Trash", "Deleted {nouns} stay in the trash for {v} days before they are purged.", "How long do deleted {nouns} stay in the {product} trash?", "How long do I have to rescue something I threw away in {product}?", "days", []int{14, 30, 45, 60, 90}},
	{"Custom fields", "Each workspace can define up to {v} custom fields.", "How many custom fields can a {product} workspace define?", "How many extra attributes of my own can I add in {product}?", "custom fields", []int{50, 100, 150, 200}},
	{"Bulk actions", "A single bulk action can change at most {v} {nouns}.", "What is the maximum number of {nouns} in one {product} bulk action?", "How many records can I edit in one go in {product}?", "{nouns}", []int{500, 1000, 2500, 5000}},
	{"Invitations", "Invitation links expire after {v} days.", "When do {product} invitation links expire?", "How long does a colleague have to accept my {product} invite?", "days", []int{3, 7, 14, 30}},
	{"Concurrent sessions", "One user may be signed in on at most {v} devices at the same time.", "How many concurrent sessions can one {product} user have?", "On how many gadgets can I stay logged in to {product} at once?", "devices", []int{3, 5, 10}},
	{"Directory sync", "SCIM provisioning syncs users from your directory every {v} minutes.", "How often does {product} SCIM provisioning sync users?", "How quickly do new hires in our identity system show up in {product}?", "minutes", []int{10, 15, 30, 40, 60}},
	{"Attachments", "Each {noun} can carry up to {v} attachments.", "How many attachments can a {product} {noun} have?", "How many files can I pin to one {noun} in {product}?", "attachments", []int{10, 20, 25, 50}},
	{"Administrators", "A workspace can have at most {v} administrators.", "What is the maximum number of administrators in a {product} workspace?", "How many people can hold full control of a {product} workspace?", "administrators", []int{5, 10, 20, 25}},
	{"Backups", "{product} takes an encrypted backup of every workspace every {v} hours.", "How often does {product} back up a workspace?", "How much work could I lose in {product} if the servers crashed?", "hours", []int{1, 4, 6, 12, 24}},
	{"Report recipients", "A scheduled report can be sent to at most {v} recipients.", "How many recipients can a {product} scheduled report have?", "How many colleagues can get my weekly {product} numbers by mail?", "recipients", []int{10, 20, 25, 50}},
	{"Offline cache", "The mobile app keeps up to {v} days of {nouns} available offline.", "How many days of {nouns} does the {product} mobile app keep offline?", "How much of my history can I see in the {product} phone app with no signal?", "days", []int{7, 14, 30}},
	{"Export rows", "A single CSV export holds at most {v} rows; larger exports are split into several files.", "What is the maximum number of rows in one {product} CSV export?", "How big can one spreadsheet dump from {product} get before it is cut into pieces?", "rows", []int{50000, 100000, 250000, 1000000}},
}

func newAdminFacts(rng *rand.Rand, p *product) []adminFact {
	var out []adminFact
	for _, s := range adminSeeds {
		v := num(one(rng, s.Values))
		out = append(out, adminFact{
			Section: s.Section, Sentence: p.fill(strings.ReplaceAll(s.Sentence, "{v}", v)),
			Lex: p.fill(s.Lex), Para: p.fill(s.Para), Value: v, Unit: p.fill(s.Unit),
		})
	}
	return out
}
