"""Stories: features, same-story scoring, the vector index and the online clusterer."""

from newsdesk.stories.cluster import Assignment, Story, StoryClusterer
from newsdesk.stories.features import (
    ArticleFeatures,
    ArticleInput,
    LanguageCentering,
    extract_features,
    extract_names,
    extract_numbers,
    parse_time,
)
from newsdesk.stories.index import ExactIndex, USearchIndex, VectorIndex, make_index, rebuild_index
from newsdesk.stories.scoring import DEFAULT_WEIGHTS, ScoreWeights, combine_evidence, score_pair

__all__ = [
    "DEFAULT_WEIGHTS",
    "ArticleFeatures",
    "ArticleInput",
    "Assignment",
    "ExactIndex",
    "LanguageCentering",
    "ScoreWeights",
    "Story",
    "StoryClusterer",
    "USearchIndex",
    "VectorIndex",
    "combine_evidence",
    "extract_features",
    "extract_names",
    "extract_numbers",
    "make_index",
    "parse_time",
    "rebuild_index",
    "score_pair",
]
