"""`make eval-real`: gathered texts are checked against their gold hashes, then scored."""

import hashlib
import json

from bench import eval_real

BODY = (
    "Vela Labs hires a chief scientist\n\n"
    "Vela Labs has hired Ada Moreno from OpenAI to lead its research team. "
    "The company plans to deploy 20,000 H100 GPUs by the end of 2026."
)


def _gold_row(doc, kind, quote, **fields):
    start = BODY.index(quote)
    return {"doc": doc, "kind": kind, **fields, "start": start, "end": start + len(quote),
            "quote_sha1": hashlib.sha1(quote.encode()).hexdigest()}  # fmt: skip


def _make_set(root, body=BODY):
    folder = root / "real" / "mine"
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "vela.txt").write_text(
        f"Source: https://example.com/vela\nDate: 2025-03-01\n\n{body}\n", encoding="utf-8"
    )
    (folder / "sources.tsv").write_text(
        "doc\tdate\turl\nvela\t2025-03-01\thttps://example.com/vela\n"
    )
    rows = [
        _gold_row("vela", "hire", "Vela Labs has hired Ada Moreno from OpenAI",
                  person="Ada Moreno", from_org="OpenAI", to_org="Vela Labs", date=None),
        _gold_row("vela", "compute", "plans to deploy 20,000 H100 GPUs by the end of 2026",
                  org="Vela Labs", chip="H100", quantity=20000, unit="GPUs", target_date="2026-12-31"),
    ]  # fmt: skip
    (folder / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return root / "real"


def test_a_gathered_set_is_prepared_and_scored(tmp_path):
    (rs,) = eval_real.find_sets(_make_set(tmp_path))
    folder = eval_real.prepare(rs)
    assert rs.problems == []
    assert json.loads((folder / "vela.meta.json").read_text()) == {
        "url": "https://example.com/vela", "published": "2025-03-01"
    }  # fmt: skip
    score = eval_real.score(rs, eval_real.predict(folder))
    assert score.rows["compute"][:2] == (1, 1) and score.rows["hire"][:2] == (1, 1)
    assert score.dates == (1, 1) and score.bad_spans == 0
    assert "| mine | 1 | 2 |" in eval_real.table([score])


def test_a_text_gathered_differently_is_reported_not_scored(tmp_path):
    (rs,) = eval_real.find_sets(_make_set(tmp_path, BODY.replace("Ada", "Eva")))
    eval_real.prepare(rs)
    assert rs.problems == ["mine/vela: 1 gold span(s) do not match (first at 35)"]
    assert rs.bodies == {}


def test_with_nothing_gathered_it_says_how_and_succeeds(tmp_path, capsys):
    assert eval_real.main(["--data", str(tmp_path / "none")]) == 0
    assert "no real articles are gathered" in capsys.readouterr().out
