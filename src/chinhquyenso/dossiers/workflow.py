"""Workflow definitions (data) and the rules of which action is allowed when.

A workflow is an ordered list of steps. Step 0 is always the one-stop desk's reception. Each step names the agency
that handles it (``receiving``, ``competent`` or a unit code), the role, its share of the processing time and the
actions its officers may take. Returning the result is done by the receiving desk once the dossier is processed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator

from chinhquyenso.agencies.models import Role
from chinhquyenso.dossiers.models import State

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STEP_ACTIONS = frozenset({"forward", "return", "transfer", "request_supplement", "stop", "approve", "request_payment"})
RECEPTION_ACTIONS = ("receive", "request_completion", "refuse")

# action → (states it may start from, label: lazy, so ``str()`` it where it is shown, in the request's language)
ACTIONS: dict[str, tuple[frozenset[int], StrOrPromise]] = {
    "receive": (frozenset({State.SUBMITTED}), _("Tiếp nhận")),
    "request_completion": (frozenset({State.SUBMITTED}), _("Yêu cầu bổ sung, hoàn thiện hồ sơ")),
    "refuse": (frozenset({State.SUBMITTED}), _("Từ chối tiếp nhận")),
    "claim": (frozenset({State.RECEIVED, State.PROCESSING}), _("Nhận xử lý")),
    "forward": (frozenset({State.RECEIVED, State.PROCESSING}), _("Chuyển bước tiếp theo")),
    "return": (frozenset({State.PROCESSING}), _("Trả lại bước trước")),
    "transfer": (frozenset({State.RECEIVED, State.PROCESSING}), _("Chuyển liên thông")),
    "request_supplement": (frozenset({State.RECEIVED, State.PROCESSING}), _("Yêu cầu bổ sung giấy tờ")),
    "request_payment": (
        frozenset({State.RECEIVED, State.PROCESSING}),
        pgettext_lazy("thao tác", "Yêu cầu thực hiện nghĩa vụ tài chính"),
    ),
    "extend": (frozenset({State.RECEIVED, State.PROCESSING, State.SUPPLEMENT, State.PAYING}), _("Xin lỗi, gia hạn")),
    "stop": (
        frozenset({State.RECEIVED, State.PROCESSING, State.SUPPLEMENT, State.PAYING}),
        _("Dừng xử lý"),
    ),
    "approve": (frozenset({State.PROCESSING, State.RECEIVED}), _("Hoàn thành xử lý")),
    "return_result": (frozenset({State.PROCESSED}), _("Trả kết quả")),
    # applicant's actions
    "supplement": (frozenset({State.SUPPLEMENT}), _("Nộp bổ sung")),
    "withdraw": (
        frozenset({State.SUBMITTED, State.RECEIVED, State.PROCESSING, State.SUPPLEMENT, State.PAYING}),
        _("Rút hồ sơ"),
    ),
}
APPLICANT_ACTIONS = frozenset({"supplement", "withdraw"})

STEPS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 2,
    "items": {
        "type": "object",
        "required": ["key", "name", "agency", "role", "share", "actions"],
        "properties": {
            "key": {"type": "string", "pattern": "^[a-z_]+$"},
            "name": {"type": "string", "minLength": 1},
            "agency": {"type": "string", "minLength": 1},
            "role": {"enum": [r.value for r in Role]},
            "share": {"type": "number", "minimum": 0, "maximum": 1},
            "actions": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    agency: str
    role: str
    share: float
    actions: tuple[str, ...]


class WorkflowProblem(ValueError):
    pass


def parse_steps(raw: Any) -> list[Step]:
    """Validate a workflow definition's steps and return them typed; raise WorkflowProblem (a configuration error,
    in the language of the request)."""
    errors = sorted(Draft202012Validator(STEPS_SCHEMA).iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        pointer = "".join(f"/{p}" for p in first.absolute_path)
        raise WorkflowProblem(
            gettext("Quy trình không hợp lệ tại %(pointer)s: %(problem)s") % {"pointer": pointer or "/",
                                                                              "problem": first.message}
        )  # fmt: skip
    steps = [Step(**{**s, "actions": tuple(s["actions"])}) for s in raw]
    if steps[0].role != Role.ONE_STOP or set(steps[0].actions) != set(RECEPTION_ACTIONS):
        raise WorkflowProblem(
            gettext("Bước đầu tiên phải là tiếp nhận tại bộ phận một cửa (receive, request_completion, refuse).")
        )
    for index, step in enumerate(steps[1:], start=1):
        unknown = set(step.actions) - STEP_ACTIONS
        if unknown:
            raise WorkflowProblem(
                gettext("Bước %(index)s có thao tác không hỗ trợ: %(actions)s.")
                % {"index": index, "actions": ", ".join(sorted(unknown))}
            )
    if "approve" not in steps[-1].actions:
        raise WorkflowProblem(gettext("Bước cuối phải có thao tác approve (hoàn thành xử lý)."))
    total = sum(s.share for s in steps)
    if abs(total - 1.0) > 0.001:
        raise WorkflowProblem(
            gettext("Tổng tỷ lệ thời gian các bước phải bằng 1 (hiện là %(total)s).") % {"total": f"{total:g}"}
        )
    return steps


def default_steps(*, level: str) -> list[dict[str, Any]]:
    """The usual route when a procedure defines none: desk → specialist → leader (DOMAIN.md §3.3)."""
    return [
        {"key": "receive", "name": "Tiếp nhận hồ sơ", "agency": "receiving", "role": Role.ONE_STOP.value,
         "share": 0.1, "actions": list(RECEPTION_ACTIONS)},
        {"key": "appraise", "name": "Thẩm định, xử lý hồ sơ", "agency": "competent", "role": Role.SPECIALIST.value,
         "share": 0.6, "actions": ["forward", "transfer", "request_supplement", "request_payment", "stop"]},
        {"key": "approve", "name": "Phê duyệt, ký kết quả", "agency": "competent", "role": Role.LEADER.value,
         "share": 0.3, "actions": ["approve", "return", "stop"]},
    ]  # fmt: skip
