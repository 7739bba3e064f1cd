package tabular

import (
	"time"

	"takehome/exercises"
)

// Slug names the exercise.
const Slug = "tabular-churn"

// Names of the files phases read and write.
const (
	TrainFile       = "train.csv"       // /data of train, an asset
	TestFile        = "test.csv"        // /data of predict
	PublicFile      = "public.csv"      // asset: the public block without labels
	PredictionsFile = "predictions.csv" // /output of predict
)

// Exercise implements exercises.Exercise and exercises.Referencer.
type Exercise struct{}

// New returns the churn exercise.
func New() Exercise { return Exercise{} }

// Slug implements exercises.Exercise.
func (Exercise) Slug() string { return Slug }

// Spec returns what the exercise declares.
func Spec() exercises.Spec {
	train := exercises.DefaultLimits()
	train.Timeout = 5 * time.Minute
	predict := exercises.DefaultLimits()
	predict.Timeout = 2 * time.Minute
	predict.OutputBytes = 16 << 20
	predict.OutputFiles = 10
	return exercises.Spec{
		Slug:  Slug,
		Kind:  exercises.KindTabular,
		Title: "Churn at Quillpad: predict next month's cancellations",
		Brief: brief,
		Image: exercises.PythonImage,
		Phases: []exercises.Phase{
			{Name: "train", Inputs: []string{TrainFile}, Limits: train},
			{Name: "predict", Inputs: []string{TestFile}, Outputs: []string{PredictionsFile}, Limits: predict},
			monitorPhaseSpec(),
		},
		Headline: "roc_auc",
	}
}

// Build implements exercises.Exercise.
func (Exercise) Build(seed uint64) (*exercises.Version, error) {
	d := generate(seed)
	trainCSV := renderCSV(d.train, true)
	practice := practiceStream(seed, d)
	practiceMeta, err := storeStreams([]Stream{practice})
	if err != nil {
		return nil, err
	}
	hiddenMeta, err := storeStreams(hiddenStreams(seed, d))
	if err != nil {
		return nil, err
	}
	public, hidden, err := evalSets(d, practiceMeta, hiddenMeta)
	if err != nil {
		return nil, err
	}
	return &exercises.Version{
		Spec:       Spec(),
		Seed:       seed,
		StarterKit: append(starterKit(trainCSV), practiceKit(practice)...),
		Assets: []exercises.File{
			{Name: TrainFile, Data: trainCSV},
			{Name: PublicFile, Data: renderCSV(sortedByID(d.public), false)},
		},
		Sets: []exercises.EvalSet{public, hidden},
	}, nil
}
