#!/usr/bin/env python3
"""Rescore a Mandarin transcript from ../shared/tools/asr/wer.py --json by characters, after
writing it the way the reference text is written: Whisper base chooses traditional or
simplified characters, and digits or numerals, from one clip to the next, which would
otherwise count as errors. The transcript is converted to simplified characters (zhconv) and
its Arabic numbers to Chinese numerals (cn2an, as misaki's Mandarin G2P converts them); both
sides lose punctuation and spaces; the error rate is the character edit distance over the
reference's length.

    wer.py REF WAV --language zh --json | zh_rescore.py      (prints the JSON, rescored)

Needs `pip install zhconv cn2an` in the harness's Python; without them the JSON passes through
unchanged, with a warning.
"""
import json
import sys
import unicodedata


def chars(text):
    return [c for c in text if not (c.isspace() or unicodedata.category(c).startswith("P"))]


def distance(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def main():
    r = json.load(sys.stdin)
    try:
        import cn2an
        import zhconv
    except ImportError:
        print("zh_rescore: zhconv and cn2an are not installed; not rescored", file=sys.stderr)
        json.dump(r, sys.stdout)
        return
    hyp = zhconv.convert(r["transcript"], "zh-cn")
    try:
        hyp = cn2an.transform(hyp, "an2cn")
    except Exception:  # cn2an refuses some digit strings; keep them as they are
        pass
    ref = chars(r["reference"])
    hyp = chars(hyp)
    errors = distance(ref, hyp)
    r.update(
        transcript_simplified="".join(hyp),
        wer=errors / max(len(ref), 1),
        errors=errors,
        ref_words=len(ref),
        substitutions=errors,
        deletions=0,
        insertions=0,
        unit="char (simplified)",
    )
    json.dump(r, sys.stdout)


if __name__ == "__main__":
    main()
