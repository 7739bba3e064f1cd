package builtin

// scoreDims is the width of the vectors that rank sentences. At 384 the
// hash collisions alone move a cosine by about ±0.05, as much as the
// threshold; at 4096 they move it by about ±0.015 and what remains is
// shared words and subwords.
const scoreDims = 4096

// relevance embeds text for ranking against a question: the features
// of Embed, at scoreDims, of its words without citation markers and
// without function words. Those words ("what", "is", "the") are in every
// question and most sentences, and left in they rank "The capital of
// France is Paris." first for "Where is the office?".
func relevance(text string) []float32 {
	var kept []string
	for _, w := range words(marker.ReplaceAllString(text, " ")) {
		if !functionWords[w] {
			kept = append(kept, w)
		}
	}
	return vector(kept, scoreDims)
}

// functionWords are English words that carry no topic: articles,
// auxiliaries, pronouns, prepositions, conjunctions and question words.
var functionWords = set(`a an the this that these those
	is are was were be been being am do does did done doing have has had having
	can could will would shall should may might must
	i me my mine you your yours he him his she her hers it its we us our ours they them their theirs
	of to in on at by for from with about into onto over under as than then there here
	and or but if so not no nor
	what which who whom whose where when why how
	any some all each every much many more most
	please tell say give get`)

func set(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words(list) {
		m[w] = true
	}
	return m
}
