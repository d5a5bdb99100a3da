from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class CharacterClassValidator:
    """等保 2.0: passwords mix at least three of lower case, upper case, digits and symbols."""

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_classes"
            )

    def get_help_text(self) -> str:
        return "至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message (its zh-Hans catalogue lacks this plural form)."""

    def get_error_message(self) -> str:
        return f"密码太短，至少须 {self.min_length} 位。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 位。"
