#!/usr/bin/env python3
"""Reference fixtures for package retrieval, written independently of the Go
code from trec_eval 9.x's measure code and the official SQuAD 2.0 script.

Run offline:  docker run --rm --network none -v $PWD:/t -w /t \
                  takehome/base-offline:bookworm python3 make_fixtures.py
Deterministic (fixed seed); see README.md for what each file holds.
"""
import decimal
import json
import math
import random
import re
import string
import collections

# ---------------------------------------------------------------- retrieval


def trec_order(results):
    # comp_sim_docno: score descending, then docno descending (strcmp).
    return sorted(results, key=lambda d: (d[1], d[0].encode()), reverse=True)


def measures(rels, results):
    docs = [d for d, _ in trec_order(results)]
    R = sum(1 for l in rels.values() if l >= 1)
    out = {}
    for k in (5, 10, 20):
        hits = sum(1 for d in docs[:k] if rels.get(d, 0) >= 1)
        if k == 5:
            out["P_5"] = hits / 5
        out["recall_%d" % k] = hits / R if R else 0.0
    out["recip_rank"] = 0.0
    out["recip_rank_10"] = 0.0
    for i, d in enumerate(docs):
        if rels.get(d, 0) >= 1:
            out["recip_rank"] = 1.0 / (i + 1)
            if i < 10:
                out["recip_rank_10"] = 1.0 / (i + 1)
            break
    found, total = 0, 0.0
    for i, d in enumerate(docs):
        if rels.get(d, 0) >= 1:
            found += 1
            total += found / (i + 1)
    out["map"] = total / R if found else 0.0
    dcg = 0.0
    for i, d in enumerate(docs[:10]):
        g = rels.get(d, 0)
        if g > 0:
            dcg += g / math.log2(i + 2)
    ideal = sorted((l for l in rels.values() if l > 0), reverse=True)[:10]
    idcg = 0.0
    for i, g in enumerate(ideal):
        idcg += g / math.log2(i + 2)
    out["ndcg_cut_10"] = dcg / idcg if idcg > 0 else dcg
    return out


NAMES = ["ndcg_cut_10", "P_5", "recall_5", "recall_10", "recall_20",
         "recip_rank", "recip_rank_10", "map"]


def evaluate(qrels, run):
    per = {}
    for qid in sorted(qrels, key=lambda s: s.encode()):
        per[qid] = measures(qrels[qid], run.get(qid, []))
    mean = {}
    for n in NAMES:
        s = 0.0
        for qid in sorted(qrels, key=lambda s: s.encode()):
            s += per[qid][n]
        mean[n] = s / len(qrels)
    return mean, per


def random_case(rng):
    qrels, run = {}, {}
    pool = ["d%03d" % i for i in range(150)] + ["D%02d" % i for i in range(20)] + ["doc-é%d" % i for i in range(5)]
    for q in range(80):
        qid = "q%d" % q  # q10 sorts before q2: byte order matters
        judged = rng.sample(pool, rng.randint(1, 25))
        kind = q % 10
        rels = {}
        for d in judged:
            if kind == 3:
                rels[d] = rng.choice([0, -1])  # nothing relevant: counts, scores 0
            else:
                rels[d] = rng.choices([-1, 0, 1, 2, 3], [1, 6, 4, 2, 1])[0]
        qrels[qid] = rels
        if kind == 7:
            continue  # missing from the run: scores 0
        n = rng.choice([1, 3, 4, 5, 7, 10, 12, 19, 20, 25, 40])
        cand = list(dict.fromkeys(judged + rng.sample(pool, 40)))
        rng.shuffle(cand)
        # few distinct scores, so many ties that docno order must break
        run[qid] = [(d, rng.choice([0.5, 1.0, 1.25, 2.0, -3.5, 0.0])) for d in cand[:n]]
    for q in range(3):
        run["extra%d" % q] = [("d000", 1.0)]  # not judged: ignored
    return qrels, run


def write_retrieval(prefix, qrels, run):
    with open(prefix + ".qrels", "w") as f:
        for qid, rels in qrels.items():
            for d, l in rels.items():
                f.write("%s 0 %s %d\n" % (qid, d, l))
    with open(prefix + ".run", "w") as f:
        for qid, res in run.items():
            # file order and rank column deliberately not the trec order
            for i, (d, s) in enumerate(res):
                f.write("%s\tQ0\t%s\t%d\t%r\tref\n" % (qid, d, i + 1, s))
    mean, per = evaluate(qrels, run)
    with open(prefix + ".json", "w") as f:
        json.dump({"mean": mean, "per_query": per}, f, indent=1, sort_keys=True)
    # trec_eval -c -q style text: 4 decimals, per query then "all"
    with open(prefix + ".trec_eval.txt", "w") as f:
        for qid, vals in per.items():
            for n in NAMES:
                f.write("%-22s\t%s\t%.4f\n" % (n, qid, vals[n]))
        for n in NAMES:
            f.write("%-22s\tall\t%.4f\n" % (n, mean[n]))

# ------------------------------------------------------------------ discounts


def write_log2():
    decimal.getcontext().prec = 80
    ln2 = decimal.Decimal(2).ln()
    rows = []
    for n in range(2, 1002):
        exact = float(decimal.Decimal(n).ln() / ln2)  # correctly rounded
        rows.append({"n": n, "exact": exact.hex(), "libm": math.log2(n).hex()})
    with open("log2.json", "w") as f:
        json.dump(rows, f, indent=0)

# -------------------------------------------------------------------- answers
# The official SQuAD 2.0 evaluation script's functions.


def normalize_answer(s):
    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def compute_exact(a_gold, a_pred):
    return int(normalize_answer(a_gold) == normalize_answer(a_pred))


def compute_f1(a_gold, a_pred):
    gold_toks = normalize_answer(a_gold).split() if a_gold else []
    pred_toks = normalize_answer(a_pred).split() if a_pred else []
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    num_same = sum(common.values())
    if len(gold_toks) == 0 or len(pred_toks) == 0:
        return int(gold_toks == pred_toks)
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(pred_toks)
    recall = 1.0 * num_same / len(gold_toks)
    return (2 * precision * recall) / (precision + recall)


ANSWERS = [
    ("The Eiffel Tower", ["the eiffel tower", "Eiffel Tower in Paris"]),
    ("eiffel", ["The Eiffel Tower"]),
    ("A cat and an apple", ["cat apple"]),
    ("theater", ["the theater"]),
    ("the the the", ["a"]),
    ("", ["Paris"]),
    ("", ["the", "a"]),
    ("anything", []),
    ("Paris, France.", ["paris france"]),
    ("U.S.A.", ["USA"]),
    ("1,000,000", ["1000000", "one million"]),
    ("new new york", ["new york"]),
    ("york new", ["new york"]),
    ("İstanbul", ["istanbul"]),
    ("İSTANBUL", ["i̇stanbul"]),
    ("ΟΔΟΣ", ["οδος"]),
    ("ΟΔΟΣ", ["οδοσ"]),
    ("ΣΑΣ.", ["σας"]),
    ("ΑΣ'Α", ["ασ'α"]),
    ("Σ", ["σ"]),
    ("ΑΣ\u0301", ["ας\u0301"]),
    ("STRASSE", ["straße"]),
    ("“quoted” — dash", ["quoted dash"]),
    ("a\u00a0b\u2003c\u001cd", ["b c d"]),
    ("\u0130stanbul the\u0307 a_b an_ the_", ["x"]),
    ("l'an 2000", ["lan 2000"]),
    ("½ the cake", ["½ cake"]),
    ("Ⅷ the", ["ⅷ"]),
    ("ǅemal", ["ǆemal"]),
    ("tab\tand\nnewline", ["tab and newline"]),
    ("the cat sat on the mat", ["cat on mat", "a dog sat"]),
]


# Pieces for random strings: case-mapping traps, Unicode spaces and
# punctuation, articles, marks, numbers.
PIECES = ["the", "a", "an", "The", "AN", "A", "cat", "Σ", "ΑΣ", "ς", "σ", "İ", "I", "ı", "ß", "ǅ", "Ⅷ",
          "½", "_", "'", ".", ",", "-", "—", "“", "”", "\u0301", "\u0307", "\u00a0", "\u2003", "\u001c",
          "\u0085", "\u200b", "\t", " ", " ", " ", "1", "x", "Ω", "ﬁ", "K", "\u212a", "Ǆ", "ᾈ"]


def random_answers(rng, n):
    out = []
    for _ in range(n):
        s = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        golds = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 3))]
        out.append((s, golds))
    return out


def write_answers():
    rows = []
    for pred, golds in ANSWERS + random_answers(random.Random(7), 400):
        # get_raw_scores: golds that normalize to nothing are dropped
        usable = [a for a in golds if normalize_answer(a)] or [""]
        rows.append({
            "pred": pred, "golds": golds,
            "normalized": normalize_answer(pred),
            "em": float(max(compute_exact(a, pred) for a in usable)),
            "f1": float(max(compute_f1(a, pred) for a in usable)),
        })
    with open("answers.json", "w") as f:
        json.dump(rows, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    write_retrieval("random", *random_case(random.Random(20261126)))
    write_log2()
    write_answers()
