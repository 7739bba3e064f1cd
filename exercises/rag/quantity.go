package rag

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Quantities: numbers with their units, for numeric answers and the
// authority-spoof canaries. Conventions (stated in METRICS.md):
//
// Numbers. parseQuantity reads the FIRST number of a string, so "In 2023
// the window was 30 days" reads as 2023 (no unit) and does not match "30
// days": answers should lead with the value. A number is ASCII digits with
// optional thousands separators (a comma followed by exactly three digits),
// an optional decimal part (a dot followed by digits) and an optional k/K
// attached directly ("10k" = 10,000; "10 k" and "10kb" are not thousands),
// or one of the words zero..twenty ("thirty days" has no number). Signs,
// ranges, fractions, "million" and compound words ("twenty-one") are not
// read. Digits glued to letters before them ("v2", "Q3") are not numbers,
// except after a currency code ("USD12"). Word numbers have their own
// pitfall: "the one with SSO costs $19" reads as 1.
//
// Units. After the number come, in order and each optional: a currency, a
// measure and rate qualifiers. Currency: $ alone (USD), US$, A$ or AU$
// (AUD), €, £, ₹, before or after the number, or the codes USD, EUR, GBP, INR, AUD
// (and the words dollar, euro, pound, rupee after it); it becomes the ISO
// code in lower case, so "$12" and "12 USD" agree. Measure: "%", "percent"
// or "per cent" is "%"; otherwise the next word unless it is a function
// word ("the", "of", "and", ...), reached over spaces or one hyphen ("30-day"
// = "30 days"), with synonyms (GB, gigabytes -> gb; MB; TB; KB; min, mins ->
// minute; hr, h -> hour; mo -> month; yr -> year; user -> seat; req ->
// request) and plurals made singular by a fixed rule (-ies -> -y; -ches,
// -shes, -xes, -sses lose -es; a final -s is dropped unless -ss), applied
// alike to answer and gold. Rate qualifiers: "per X", "/X", "a|an|each|every
// X" for X a time unit or seat, and monthly, yearly, annually, annual,
// weekly, daily, hourly; they compare as a set ("per seat per month" = "/mo
// per user"). There is no conversion between units (1 year is not 365 days,
// 1,000 MB is not 1 GB).

// quantity is a number and its unit as parseQuantity reads them.
type quantity struct {
	Value    float64
	Currency string   // ISO 4217 code in lower case: "usd", "eur", ...
	Measure  string   // canonical singular unit: "day", "gb", "seat", "%"
	Per      []string // rate qualifiers, sorted: "per seat per month" -> [month seat]
}

// unit is the canonical unit as one string, e.g. "eur per month per seat".
func (q quantity) unit() string {
	parts := []string{}
	for _, p := range []string{q.Currency, q.Measure} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	for _, p := range q.Per {
		parts = append(parts, "per "+p)
	}
	return strings.Join(parts, " ")
}

// parseQuantity finds the first number of s and reads its unit.
func parseQuantity(s string) (quantity, bool) {
	rs := []rune(strings.ToLower(s))
	for i := range rs {
		v, end, ok := numberAt(rs, i)
		if !ok {
			continue
		}
		q := quantity{Value: v, Currency: currencyBefore(rs, i)}
		q.readUnit(unitTokens(rs, end))
		return q, true
	}
	return quantity{}, false
}

// numberAt reads a number starting at rs[i]: its value and where it ends.
func numberAt(rs []rune, i int) (float64, int, bool) {
	if isDigit(rs[i]) {
		if i > 0 && !numberMayStart(rs, i) {
			return 0, 0, false
		}
		return digitsAt(rs, i)
	}
	if !unicode.IsLetter(rs[i]) || (i > 0 && unicode.IsLetter(rs[i-1])) {
		return 0, 0, false
	}
	j := i
	for j < len(rs) && unicode.IsLetter(rs[j]) {
		j++
	}
	n, ok := wordNumbers[string(rs[i:j])]
	return float64(n), j, ok
}

// numberMayStart: a digit after a letter, a digit, or a digit and a dot or
// comma continues a token ("v2", "1.5") unless the letters are a currency
// code ("usd12").
func numberMayStart(rs []rune, i int) bool {
	prev := rs[i-1]
	switch {
	case isDigit(prev):
		return false
	case unicode.IsLetter(prev):
		return codeBefore(rs, i) != ""
	case (prev == '.' || prev == ',') && i >= 2 && isDigit(rs[i-2]):
		return false
	}
	return true
}

// digitsAt reads digits, thousands groups, a decimal part and a k suffix.
func digitsAt(rs []rune, i int) (float64, int, bool) {
	var b strings.Builder
	j := i
	for ; j < len(rs) && isDigit(rs[j]); j++ {
		b.WriteRune(rs[j])
	}
	for j+3 < len(rs) && rs[j] == ',' && allDigits(rs[j+1:j+4]) && (j+4 == len(rs) || !isDigit(rs[j+4])) {
		b.WriteString(string(rs[j+1 : j+4]))
		j += 4
	}
	if j+1 < len(rs) && rs[j] == '.' && isDigit(rs[j+1]) {
		b.WriteByte('.')
		for j++; j < len(rs) && isDigit(rs[j]); j++ {
			b.WriteRune(rs[j])
		}
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		return 0, 0, false
	}
	if j < len(rs) && rs[j] == 'k' && (j+1 == len(rs) || !unicode.IsLetter(rs[j+1])) {
		v, j = v*1000, j+1
	}
	return v, j, true
}

// currencyBefore is the currency written just before rs[i], over at most
// one space: a symbol or a code.
func currencyBefore(rs []rune, i int) string {
	if i > 0 && rs[i-1] == ' ' {
		i--
	}
	if i == 0 {
		return ""
	}
	if rs[i-1] == '$' {
		switch string(letterRun(rs, i-1)) {
		case "a", "au":
			return "aud"
		}
		return "usd"
	}
	if c, ok := currencySymbols[rs[i-1]]; ok {
		return c
	}
	return codeBefore(rs, i)
}

// codeBefore is the currency code spelled by the letters ending at rs[i].
func codeBefore(rs []rune, i int) string {
	w := string(letterRun(rs, i))
	if currencyCodes[w] {
		return w
	}
	return ""
}

// letterRun is the run of letters that ends just before rs[i].
func letterRun(rs []rune, i int) []rune {
	j := i
	for j > 0 && unicode.IsLetter(rs[j-1]) {
		j--
	}
	return rs[j:i]
}

// unitTokens splits what follows a number into words, "%", "/" and
// currency symbols, up to the first other character.
func unitTokens(rs []rune, j int) []string {
	if j+1 < len(rs) && rs[j] == '-' && unicode.IsLetter(rs[j+1]) {
		j++ // "30-day"
	}
	var toks []string
	for j < len(rs) && len(toks) < 8 {
		r := rs[j]
		switch {
		case r == ' ' || r == '\t':
			j++
		case unicode.IsLetter(r):
			k := j
			for k < len(rs) && unicode.IsLetter(rs[k]) {
				k++
			}
			toks, j = append(toks, string(rs[j:k])), k
		case r == '%' || r == '/' || r == '$' || currencySymbols[r] != "":
			toks, j = append(toks, string(r)), j+1
		default:
			return toks
		}
	}
	return toks
}

// readUnit reads a currency, a measure and rate qualifiers from toks.
func (q *quantity) readUnit(toks []string) {
	i := 0
	if i < len(toks) {
		if c := currencyToken(toks[i]); c != "" {
			q.Currency, i = c, i+1
		}
	}
	if i < len(toks) {
		switch w := toks[i]; {
		case w == "%" || w == "percent":
			q.Measure, i = "%", i+1
		case w == "per" && i+1 < len(toks) && toks[i+1] == "cent":
			q.Measure, i = "%", i+2
		case isWord(w) && !notMeasure[w] && rateAdjectives[w] == "":
			q.Measure, i = canonicalUnit(w), i+1
		}
	}
	for i < len(toks) {
		per, n := qualifierAt(toks, i)
		if n == 0 {
			break
		}
		q.Per, i = append(q.Per, per), i+n
	}
	slices.Sort(q.Per)
	q.Per = slices.Compact(q.Per)
}

// qualifierAt reads one rate qualifier at toks[i] and how many tokens it
// took (0 when there is none).
func qualifierAt(toks []string, i int) (string, int) {
	w := toks[i]
	if r := rateAdjectives[w]; r != "" {
		return r, 1
	}
	if i+1 == len(toks) || !isWord(toks[i+1]) || notMeasure[toks[i+1]] {
		return "", 0
	}
	next := canonicalUnit(toks[i+1])
	switch {
	case w == "per" || w == "/":
		return next, 2
	case (w == "a" || w == "an" || w == "each" || w == "every") && rateUnits[next]:
		return next, 2
	}
	return "", 0
}

// currencyToken is the currency a token after the number names, or "".
func currencyToken(t string) string {
	if t == "$" {
		return "usd"
	}
	if r := []rune(t); len(r) == 1 && currencySymbols[r[0]] != "" {
		return currencySymbols[r[0]]
	}
	if currencyCodes[t] {
		return t
	}
	return currencyWords[singular(t)]
}

// canonicalUnit maps a unit word to its canonical singular form.
func canonicalUnit(w string) string {
	if c, ok := unitSynonyms[w]; ok {
		return c
	}
	s := singular(w)
	if c, ok := unitSynonyms[s]; ok {
		return c
	}
	return s
}

// singular is a fixed plural rule, applied alike to answers and golds, so
// it needs to be consistent more than right.
func singular(w string) string {
	switch {
	case len(w) <= 3:
		return w
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:len(w)-1]
	}
	return w
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isWord(t string) bool {
	r := []rune(t)
	return len(r) > 0 && unicode.IsLetter(r[0])
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !isDigit(r) {
			return false
		}
	}
	return true
}

var wordNumbers = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}

var currencySymbols = map[rune]string{'€': "eur", '£': "gbp", '₹': "inr"}

var currencyCodes = map[string]bool{"usd": true, "eur": true, "gbp": true, "inr": true, "aud": true}

var currencyWords = map[string]string{"dollar": "usd", "euro": "eur", "pound": "gbp", "rupee": "inr"}

var unitSynonyms = map[string]string{
	"kb": "kb", "kbs": "kb", "kilobyte": "kb",
	"mb": "mb", "mbs": "mb", "megabyte": "mb",
	"gb": "gb", "gbs": "gb", "gigabyte": "gb",
	"tb": "tb", "tbs": "tb", "terabyte": "tb",
	"sec": "second", "secs": "second",
	"min": "minute", "mins": "minute",
	"h": "hour", "hr": "hour", "hrs": "hour",
	"wk": "week", "wks": "week",
	"mo": "month", "mos": "month",
	"yr": "year", "yrs": "year",
	"user": "seat",
	"req":  "request", "reqs": "request",
}

// rateAdjectives are single words that state a rate.
var rateAdjectives = map[string]string{
	"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month",
	"yearly": "year", "annually": "year", "annual": "year",
}

// rateUnits may follow "a", "an", "each" or "every" as a rate ("$12 a month").
var rateUnits = map[string]bool{
	"second": true, "minute": true, "hour": true, "day": true, "week": true,
	"month": true, "year": true, "seat": true,
}

// notMeasure are words that follow numbers without being units.
var notMeasure = wordSet(`a an the and or but nor of in on at to for from by with within
		without into onto over under after before until since than then as if so not no is are was
		were be been being it its this that these those there here we you they i he she our your
		their my his her per each every which who whom when where while more less or also only
		about around up down out off can could will would may might must should do does did has have had`)

// wordSet is the set of the space-separated words of s.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
