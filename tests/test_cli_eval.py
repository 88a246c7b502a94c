"""`brief eval DIR [DIR ...]`: one model for every folder, each folder scored, one line each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service import cli
from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from tests.conftest import ScriptedEngine, draft, read_article

CONFIG = PipelineConfig(max_input_chars=50_000, max_input_tokens=4000, max_new_tokens=600,
                        repetition_penalty=1.05)

# A stand-in scorer: it proves which gold folder and which briefs folder it was given, and
# ends with a summary line as the real one does.
SCORER = """
import argparse, pathlib
parser = argparse.ArgumentParser()
parser.add_argument("--gold")
parser.add_argument("--briefs")
args = parser.parse_args()
briefs = sorted(p.stem for p in pathlib.Path(args.briefs).glob("*.json"))
print("table for", args.gold)
print("OVERALL gold=" + pathlib.Path(args.gold).name + " briefs=" + ",".join(briefs))
"""


def _gold_folder(root: Path, name: str, ids: list[str]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for article_id in ids:
        text = read_article("santiago_readout.txt")
        (folder / f"{article_id}.json").write_text(json.dumps({"id": article_id, "text": text}))
    (folder / "notes.json").write_text(json.dumps({"no": "text"}))  # not an article: skipped
    return folder


def test_several_folders_are_briefed_by_one_model_and_scored_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engines: list[ScriptedEngine] = []

    def one_pipeline(settings: object, replay: object = None) -> BriefPipeline:
        engine = ScriptedEngine([draft()] * 10)
        engines.append(engine)
        return BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "_pipeline", one_pipeline)
    synthetic = _gold_folder(tmp_path / "a", "articles", ["d1", "d2"])
    real = _gold_folder(tmp_path / "b", "real", ["r1"])
    same_name = _gold_folder(tmp_path / "c", "real", ["r9"])
    scorer = tmp_path / "score.py"
    scorer.write_text(SCORER)
    out = tmp_path / "out"

    status = cli.main(["eval", str(synthetic), str(real), str(same_name),
                       "--out", str(out), "--scorer", str(scorer)])

    assert status == 0
    assert len(engines) == 1 and engines[0].closed  # one model load for all, closed after
    assert len(engines[0].requests) == 4
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["d1.json", "d2.json"]
    assert [p.name for p in (out / "real-2").iterdir()] == ["r1.json"]
    assert [p.name for p in (out / "real-3").iterdir()] == ["r9.json"]
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-3:] == [
        f"{synthetic}: OVERALL gold=articles briefs=d1,d2",
        f"{real}: OVERALL gold=real briefs=r1",
        f"{same_name}: OVERALL gold=real briefs=r9",
    ]
    assert f"table for {real}" in lines  # each scorer's whole table is shown too


def test_one_folder_keeps_its_briefs_in_out_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        cli, "_pipeline",
        lambda settings, replay=None: BriefPipeline(
            ScriptedEngine([draft()]), load_prompts(), CONFIG  # type: ignore[arg-type]
        ),
    )
    folder = _gold_folder(tmp_path, "set", ["x1"])
    out = tmp_path / "out"
    status = cli.main(["eval", str(folder), "--out", str(out), "--scorer",
                       str(tmp_path / "missing.py")])
    assert status == 0
    assert [p.name for p in out.iterdir()] == ["x1.json"]
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(f"{folder}: no scorer")



def test_eval_needs_a_scorer_named_never_one_found_beside_the_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    folder = _gold_folder(tmp_path, "set", ["x1"])
    (tmp_path / "score.py").write_text("raise SystemExit('a scorer beside the data ran')\n")
    with pytest.raises(SystemExit) as stopped:
        cli.main(["eval", str(folder), "--out", str(tmp_path / "out")])
    assert stopped.value.code == 2
    assert "--scorer" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_replayed_eval_gives_the_same_briefs_without_asking_the_model_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import service.engines

    engines: list[ScriptedEngine] = []

    def scripted(settings: object) -> ScriptedEngine:
        engines.append(ScriptedEngine([draft()] * 10))
        return engines[-1]

    monkeypatch.setattr(service.engines, "load_engine", scripted)
    monkeypatch.setattr(service.engines, "load_centrality", lambda settings: None)
    folder = _gold_folder(tmp_path, "set", ["x1", "x2"])
    replay = tmp_path / "drafts.json"
    runs = []
    for run in ("first", "second"):
        out = tmp_path / run
        assert cli.main(["eval", str(folder), "--out", str(out), "--scorer",
                         str(tmp_path / "missing.py"), "--replay", str(replay)]) == 0
        runs.append({p.name: json.loads(p.read_text())["summary"] for p in out.iterdir()})
    # The first run asked the model once (the two articles are one text) and kept the
    # answer; the second asked it nothing.
    assert len(engines[0].requests) == 1 and engines[0].closed
    assert engines[1].requests == [] and engines[1].closed
    assert runs[0] == runs[1] and set(runs[0]) == {"x1.json", "x2.json"}
    assert len(json.loads(replay.read_text())) == 1
