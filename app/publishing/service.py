"""The publish gate's public face (see the package docstring)."""

from app.publishing.gate import Verdict, judge_file, judge_version, publish_draft, publish_file, republish

__all__ = ["Verdict", "judge_file", "judge_version", "publish_draft", "publish_file", "republish"]
