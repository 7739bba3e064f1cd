package rag

import "fmt"

// errorSeeds: title, cause, fix; {noun} and friends are filled per product.
var errorSeeds = [][3]string{
	{"currency mismatch", "the {noun} uses a currency that differs from the workspace currency", "change the currency of the {noun} or of the workspace"},
	{"rate limit exceeded", "your integration sent more API requests than the plan allows", "slow down and retry after the number of seconds in the Retry-After header"},
	{"attachment too large", "a file is bigger than the maximum upload size of your plan", "compress the file or upgrade to a plan with a larger upload limit"},
	{"seat limit reached", "every seat of the plan is taken", "remove an inactive member or buy more seats"},
	{"expired session", "you were signed out after a period of inactivity", "sign in again"},
	{"invalid API key", "the key was rotated, revoked or mistyped", "create a new key and update your scripts"},
	{"webhook endpoint unreachable", "your server did not answer the delivery within ten seconds", "check that the endpoint is public and answers quickly"},
	{"duplicate {noun}", "a {noun} with the same reference number already exists", "merge the two or change the reference number"},
	{"import file malformed", "the spreadsheet has a missing header row or mixed delimiters", "save the file as UTF-8 CSV with a header row"},
	{"storage quota exceeded", "the workspace used all the storage included in the plan", "delete old files or upgrade the plan"},
	{"domain not verified", "the DNS record proving you own the domain was not found", "add the TXT record and wait for DNS to update"},
	{"payment declined", "the bank refused the charge", "update the payment method or contact your bank"},
	{"permission denied", "your role does not include this action", "ask an administrator to grant the permission"},
	{"SSO assertion rejected", "the identity provider sent a certificate that does not match", "upload the current certificate of your identity provider"},
	{"export still running", "a previous export has not finished yet", "wait for the email that says the export is ready"},
	{"automation quota reached", "the workspace used all automation runs of the month", "wait for the monthly reset or upgrade the plan"},
	{"locked {noun}", "another user is editing the {noun}", "wait a minute and try again"},
	{"calendar sync paused", "the calendar provider revoked access", "reconnect the calendar under integrations"},
	{"unsupported browser", "the browser is older than the versions we support", "update the browser"},
	{"custom domain limit reached", "the plan's custom domain allowance is used up", "remove a domain or upgrade"},
}

// errorPage renders a short error-code article and returns its code.
func (c *corpus) errorPage(p *product, seed [3]string) string {
	code := fmt.Sprintf("%s-%d", p.Code, 1000+c.rng.IntN(9000))
	for c.facts["error/"+code] != nil {
		code = fmt.Sprintf("%s-%d", p.Code, 1000+c.rng.IntN(9000))
	}
	title := p.fill(seed[0])
	d := c.doc(fmt.Sprintf("Error %s: %s", code, title))
	key := "error/" + code
	d.fact(key, fmt.Sprintf(one(c.rng, []string{
		"%s shows error %s when %s.", "Error %[2]s appears in %[1]s because %[3]s.", "In %s, the message %s means that %s.",
	}), p.Name, code, p.fill(seed[1])))
	d.w("\n\n")
	d.heading("How to fix it")
	d.fact(key+"/fix", "To fix it, "+p.fill(seed[2])+".")
	d.w("\n\n")
	if c.rng.IntN(2) == 0 {
		d.filler(p, "errors", 2)
	}
	d.done()
	return code
}
