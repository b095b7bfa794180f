"""The writer is chosen by settings: extractive by default, an OpenAI-compatible endpoint when
`writer = "llm"` (tested against a scripted OpenAI-compatible server on 127.0.0.1), and the
extractive writer takes over when the model is down. The story is INVENTED."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from newsdesk.settings import Settings
from newsdesk.store import Analysis, Passage, Store
from newsdesk.write.extractive import ExtractiveWriter
from newsdesk.write.factory import WriterNotConfigured, writer_from_settings
from newsdesk.write.llm_writer import LLMWriter
from newsdesk.write.stage import run as run_write_stage
from tests.desk.test_desk_workflow import ARTICLES, add_story
from tests.llm_server import ScriptedLLMServer, answer, failure


@pytest.fixture
def llm_server() -> Iterator[ScriptedLLMServer]:
    srv = ScriptedLLMServer().start()
    try:
        yield srv
    finally:
        srv.stop()


def test_default_is_extractive_and_llm_needs_an_endpoint() -> None:
    assert isinstance(writer_from_settings(Settings()), ExtractiveWriter)
    with pytest.raises(WriterNotConfigured, match="llm_base_url"):
        writer_from_settings(Settings(writer="llm"))
    with pytest.raises(ValidationError, match="writer"):
        Settings(writer="poet")
    with pytest.raises(WriterNotConfigured, match="unknown writer"):
        # model_copy skips validation, so the factory still names the bad value
        writer_from_settings(Settings().model_copy(update={"writer": "poet"}))
    llm = writer_from_settings(
        Settings(writer="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    )
    assert isinstance(llm, LLMWriter)


def _llm_settings(settings: Settings, srv: ScriptedLLMServer) -> Settings:
    return settings.model_copy(
        update={
            "writer": "llm",
            "llm_base_url": srv.base_url,
            "llm_model": "strong-model",
            "llm_fast_model": "fast-model",
            "llm_timeout": 5.0,
        }
    )


def test_the_write_stage_uses_the_configured_endpoint(
    store: Store, settings: Settings, llm_server: ScriptedLLMServer
) -> None:
    with store.session() as s:
        story_id = add_story(s, ARTICLES).id
    reply = {
        "headline": "Lorvik ferry workers strike over new rosters",
        "dek": "",
        "sections": [
            {
                "key": "what_happened",
                "sentences": [
                    {"text": "Ferry workers at Lorvik walked off the job.", "citations": [1]}
                ],
            }
        ],
    }
    llm_server.push(answer(json.dumps(reply)))
    report = run_write_stage(store, _llm_settings(settings, llm_server), story_ids=[story_id])
    (analysis_id,) = report.written
    with store.reader() as s:
        analysis = s.get(Analysis, analysis_id)
        assert analysis is not None
        assert analysis.writer == "llm" and analysis.model == "fast-model"
        (sentence,) = analysis.sentences
        assert sentence.kind == "generated" and sentence.citations
        assert all(s.get(Passage, c) is not None for c in sentence.citations)
    assert llm_server.requests[0].body["model"] == "fast-model"


def test_a_model_that_is_down_does_not_stop_the_newsroom(
    store: Store, settings: Settings, llm_server: ScriptedLLMServer
) -> None:
    with store.session() as s:
        story_id = add_story(s, ARTICLES).id
    llm_server.push(*[failure(503, "overloaded") for _ in range(10)])
    report = run_write_stage(store, _llm_settings(settings, llm_server), story_ids=[story_id])
    (analysis_id,) = report.written
    with store.reader() as s:
        analysis = s.get(Analysis, analysis_id)
        assert analysis is not None and analysis.writer == "extractive"
        assert analysis.sentences and all(x.verified for x in analysis.sentences)
    assert llm_server.requests, "the endpoint was tried first"
