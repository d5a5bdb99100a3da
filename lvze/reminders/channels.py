"""Delivery over real channels: SMTP email and the group robots of 企业微信, 钉钉 (signed), 飞书 (signed),
and a generic JSON webhook (HMAC-SHA256 signature header). Each raises DeliveryError on failure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from lvze.reminders.models import Channel, ChannelKind

TIMEOUT = 10


class DeliveryError(Exception):
    """A failed send; `permanent` when retrying cannot help (e.g. a rejected address or a 4xx)."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def post_json(url: str, payload: dict, headers: dict[str, str] | None = None) -> dict:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - configured robot URLs
            raw = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}", permanent=400 <= exc.code < 500 and exc.code != 429) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"连接失败：{exc}") from exc
    try:
        answer = json.loads(raw) if raw else {}
    except ValueError:
        answer = {}
    code = answer.get("errcode", answer.get("code", 0)) if isinstance(answer, dict) else 0
    if code not in (0, None):
        raise DeliveryError(f"机器人返回错误 {code}：{answer.get('errmsg') or answer.get('msg')}", permanent=True)
    return answer


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_email(channel: Channel, message: Message) -> None:
    mail = EmailMultiAlternatives(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [channel.target])
    mail.attach_alternative(message.html, "text/html")
    try:
        mail.send()
    except Exception as exc:  # smtplib raises a family of errors; all are a failed send
        raise DeliveryError(f"邮件发送失败：{exc}", permanent="Recipient" in type(exc).__name__) from exc


def send_wecom(channel: Channel, message: Message) -> None:
    post_json(channel.target, {"msgtype": "markdown", "markdown": {"content": f"**{message.subject}**\n{message.text}"}})


def send_dingtalk(channel: Channel, message: Message) -> None:
    url = dingtalk_signed_url(channel.target, channel.secret, int(time.time() * 1000)) if channel.secret else channel.target
    post_json(url, {"msgtype": "markdown", "markdown": {"title": message.subject, "text": f"### {message.subject}\n{message.text}"}})


def send_feishu(channel: Channel, message: Message) -> None:
    payload: dict = {"msg_type": "text", "content": {"text": f"{message.subject}\n{message.text}"}}
    if channel.secret:
        timestamp = int(time.time())
        payload.update(timestamp=str(timestamp), sign=feishu_sign(channel.secret, timestamp))
    post_json(channel.target, payload)


def send_webhook(channel: Channel, message: Message) -> None:
    payload = {"subject": message.subject, "text": message.text}
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"X-Lvze-Signature": webhook_signature(channel.secret, body)} if channel.secret else {}
    post_json(channel.target, payload, headers)


SENDERS = {
    ChannelKind.EMAIL: send_email,
    ChannelKind.WECOM: send_wecom,
    ChannelKind.DINGTALK: send_dingtalk,
    ChannelKind.FEISHU: send_feishu,
    ChannelKind.WEBHOOK: send_webhook,
}


def deliver(channel: Channel, message: Message) -> None:
    SENDERS[channel.kind](channel, message)
