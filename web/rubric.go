package web

import "takehome/exercises"

// criterion is one line of a rubric, scored 1 to 4; Anchors[i] describes
// score i+1 so interviewers score alike.
type criterion struct {
	Key     string
	Name    string
	Anchors [4]string
}

var codeQuality = criterion{"code_quality", "Code quality", [4]string{
	"Hard to follow; no structure, dead code, magic numbers.",
	"Works but tangled; little separation of steps.",
	"Clear structure and names; small gaps in tests or docs.",
	"Clean, tested where it matters, easy to extend.",
}}

// rubrics are the criteria interviewers score, by exercise kind.
var rubrics = map[exercises.Kind][]criterion{
	exercises.KindTabular: {
		{"leakage", "Leakage handling", [4]string{
			"Uses leaking features or fits on evaluation data.",
			"Some leakage avoided by luck, not by reasoning.",
			"Finds and drops the obvious leaks, explains why.",
			"Probes for leaks systematically and documents each.",
		}},
		{"validation", "Validation strategy", [4]string{
			"No held-out evaluation, or evaluates on training data.",
			"A single random split that ignores time or groups.",
			"A split that respects the data's structure.",
			"Well-chosen splits with uncertainty on the estimates.",
		}},
		{"imbalance", "Imbalance & calibration", [4]string{
			"Ignores the class balance; reports accuracy only.",
			"Notices the imbalance but handles it poorly.",
			"Appropriate metrics and weighting; some calibration check.",
			"Calibrated probabilities, checked with a reliability curve.",
		}},
		codeQuality,
	},
	exercises.KindRAG: {
		{"chunking", "Chunking & indexing", [4]string{
			"Whole documents or arbitrary cuts; no reasoning.",
			"Fixed-size chunks with no attention to structure.",
			"Chunks follow the documents' structure; sensible sizes.",
			"Chunking and index choices measured and justified.",
		}},
		{"own_eval", "Own eval set", [4]string{
			"No evaluation of their own.",
			"A handful of ad-hoc queries.",
			"A small labelled set with a retrieval metric.",
			"A representative labelled set, used to choose the design.",
		}},
		{"failure_analysis", "Failure analysis", [4]string{
			"No look at what fails.",
			"Mentions failures without examples.",
			"Groups failures with examples.",
			"Failure buckets with causes and a fix for the largest.",
		}},
		codeQuality,
	},
	exercises.KindTest: {
		{"overall", "Overall", [4]string{"Poor.", "Weak.", "Good.", "Excellent."}},
	},
}

// rubricFor returns the criteria of an exercise kind; unknown kinds get
// the one overall criterion.
func rubricFor(k exercises.Kind) []criterion {
	if r, ok := rubrics[k]; ok {
		return r
	}
	return rubrics[exercises.KindTest]
}
