// Package monitoring scores a candidate's weekly monitoring decisions on
// simulated streams against the ground truth the grader knows
// (MONITORING.md E.1.3 and E.1.4). It is pure maths: no I/O, no clock, no
// randomness except the seeded bootstrap.
//
// Weeks are the unit of time and are named by their number Week.N, as in
// the stream's meta.json (1…K). Every interval of weeks is inclusive at
// both ends. The conventions, each stated again where it is computed:
//
//   - Detection follows CapyMOA's EvaluateDriftDetector with weeks as
//     instances and max_early_detection = 0: an event is detected by the
//     first alert of its channel in [Start, End+MaxDelay]; delay = that
//     week − Start; an alert before Start does not count. Later alerts in
//     the window are neither detections nor false alarms.
//   - A week is null for a channel when no event of that channel has it in
//     its detection window; for the performance channel, weeks inside a
//     Benign event's [Start, End] are null as well, whatever else covers
//     them. An alert in a null week is a false alarm. The false-alarm rate
//     is 52 · false alarms / null weeks, per channel.
//   - CBPE is NannyML's expected ROC AUC from calibrated probabilities.
//   - Business value contacts the top ⌈n/10⌉ scores, ties broken by the
//     lower index.
//   - Cost is E.1.4's weighted sum; a missed event also pays its capped
//     delay, so any detection costs less than a miss. Score normalises it
//     between the silent policy (0) and the oracle (100).
//
// Inputs that contradict each other (a retrain-worthy window inside a
// corrupt event, a performance event inside a benign one) are resolved in
// the direction of the more severe reading, as each function says.
package monitoring
