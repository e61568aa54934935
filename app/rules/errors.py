"""Errors of the rules engine: each is a YichuangError with a Chinese message for the clerk and a detail for the log."""
from __future__ import annotations

from app.errors import ValidationFailed, YichuangError


class RulesError(YichuangError):
    code = "rules_error"


class InvalidInput(ValidationFailed):
    """A calculator input that is malformed or out of range; `field` names the input so a screen can focus it."""

    code = "rules_invalid_input"


class MissingParameter(RulesError):
    """No value of a parameter for the region and date/year asked: never replaced by a silent default."""

    code = "parameter_missing"

    def __init__(self, key: str, name: str, region: str, region_name: str, period: str, hint: str = ""):
        message = (f"缺少参数“{name}”（{key}）：{region_name}（{region}）{period}没有可用的取值。"
                   "请管理员在“参数管理”中导入官方公布值后再测算。")
        if hint:
            message += hint
        super().__init__(message, f"missing parameter {key} for region {region} at {period}")
        self.key, self.name, self.region, self.period = key, name, region, period


class ParameterFileError(RulesError):
    """A parameter file that cannot be read or breaks the schema (the file and entry are named)."""

    code = "parameter_file_invalid"
