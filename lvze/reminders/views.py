from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.accounts.models import BUSINESS_ROLES, Role
from lvze.duties.models import OPEN_STATUSES, WorkItem
from lvze.duties.selectors import UNIT_READERS, item_permissions, work_item_for_user
from lvze.forms import form_errors_from
from lvze.lib.periods import Period
from lvze.orgs.selectors import grant_orgs, organization_for_user, user_roles
from lvze.reminders import services
from lvze.reminders.forms import ChannelForm, PolicyForm, SendFilterForm
from lvze.reminders.ical import calendar
from lvze.reminders.models import CalendarFeed, ReminderPolicy
from lvze.reminders.selectors import (
    PROBLEM,
    channel_for_user,
    channels_for_user,
    filtered_sends,
    leaders_for_user,
    monthly_notice,
    notifications_for_user,
    resendable_send_for_user,
    reverse_list,
    send_channel_choices,
    send_rows,
)


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notes = notifications_for_user(request.user)
    if request.GET.get("unread") == "1":
        notes = notes.filter(read_at__isnull=True)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "reminders/notification_list.html", {"page": page, "querystring": request.GET.copy()})


@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()]
    services.notifications_mark_read(user=request.user, ids=ids or None)
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "reminders:notification-list")


def unit_for_channels(request: HttpRequest):
    units = [u for u in grant_orgs(request.user, {Role.PARTY_ADMIN}) if u.is_unit]
    return units[0] if units else None


@require_http_methods(["GET", "POST"])
def channel_list(request: HttpRequest) -> HttpResponse:
    unit = unit_for_channels(request)
    if not request.user.person_id and unit is None:
        raise Http404
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = {"unit": unit} if data.pop("scope") == "unit" else {"person": request.user.person}
        if None in owner.values():
            form.add_error("scope", "您没有可归属的单位或人员")
        else:
            try:
                services.channel_create(actor=request.user, **data, **owner)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, "已添加渠道，可点击“发送测试消息”检验")
                return redirect("reminders:channel-list")
    context = {"channels": channels_for_user(request.user), "form": form, "unit": unit}
    return render(request, "reminders/channel_list.html", context)


@require_POST
def channel_action(request: HttpRequest, channel_id: int, action: str) -> HttpResponse:
    channel = channel_for_user(request.user, channel_id)
    if action == "test":
        error = services.channel_test(actor=request.user, channel=channel)
        if error:
            messages.error(request, f"测试消息发送失败：{error}")
        else:
            messages.success(request, "测试消息已发送")
    elif action == "delete":
        services.channel_delete(actor=request.user, channel=channel)
        messages.success(request, "已删除渠道")
    elif action == "enable":
        services.channel_enable(actor=request.user, channel=channel)
        messages.success(request, "已重新启用")
    else:
        raise Http404
    return redirect("reminders:channel-list")


@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, "订阅地址已作废")
        else:
            token = services.calendar_feed_issue(actor=request.user)
    feed_url = request.build_absolute_uri(f"/reminders/calendar/{token}.ics") if token else None
    exists = CalendarFeed.objects.filter(user=request.user).exists()
    return render(request, "reminders/calendar.html", {"feed_url": feed_url, "exists": exists})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot log in): the unguessable token is the credential."""
    feed = CalendarFeed.objects.filter(token_hash=services.token_hash(token)).select_related("user").first()
    if feed is None or not feed.user.is_active or not feed.user.person_id:
        raise Http404
    items = (
        WorkItem.objects.filter(responsible_person_id=feed.user.person_id, status__in=OPEN_STATUSES, due_date__isnull=False)
        .order_by("due_date")
        .values("id", "title", "due_date", "organization__name")[:500]
    )
    body = calendar(items, request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@require_GET
def reverse_reminders(request: HttpRequest) -> HttpResponse:
    leaders = leaders_for_user(request.user)
    if not leaders.exists():
        if not grant_orgs(request.user, UNIT_READERS):
            raise Http404
        return render(request, "reminders/reverse_list.html", {"leaders": [], "person": None})
    chosen = request.GET.get("person")
    person = leaders.filter(pk=chosen).first() if chosen and chosen.isdigit() else None
    person = person or leaders.filter(pk=request.user.person_id).first() or leaders.first()
    today = timezone.localdate()
    context = {"leaders": leaders, "person": person, "items": reverse_list(person, today), "today": today}
    return render(request, "reminders/reverse_list.html", context)


@require_GET
def notice(request: HttpRequest, code: str, month: str) -> HttpResponse:
    if not user_roles(request.user) & BUSINESS_ROLES:  # a 提示单 is business data, not the 三员's
        raise Http404
    org = organization_for_user(request.user, code)
    try:
        period = Period.parse(month)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    if period.kind != "month":
        raise Http404("提示单按月生成")
    return render(request, "reminders/notice.html", {"notice": monthly_notice(org, period)})


def policy_initial(policy) -> dict:
    if policy is None:
        return {}
    return {
        "before_days": ",".join(str(d) for d in policy.before_days),
        "overdue_digest": policy.overdue_digest,
        "escalate_after_days": policy.escalate_after_days,
    }


@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    """The unit's reminder policy; an item's override lives on the item (?item=ID)."""
    unit = unit_for_channels(request)
    item = None
    if request.GET.get("item"):
        item = work_item_for_user(request.user, int(request.GET["item"]) if request.GET["item"].isdigit() else 0)
        if not item_permissions(request.user, item).review:
            raise Http404
    elif unit is None:
        raise Http404
    current = ReminderPolicy.objects.filter(item=item).first() if item else ReminderPolicy.objects.filter(unit=unit, item=None).first()
    form = PolicyForm(request.POST or None, initial=policy_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_save(actor=request.user, unit=None if item else unit, item=item, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "提醒策略已保存")
            return redirect("duties:item-detail", item_id=item.pk) if item else redirect("reminders:policy")
    return render(request, "reminders/policy.html", {"form": form, "unit": unit, "item": item})


@require_GET
def send_list(request: HttpRequest) -> HttpResponse:
    """提醒发送情况: why a reminder did not arrive, for the 党务管理员 who manage channels and policies."""
    if not grant_orgs(request.user, {Role.PARTY_ADMIN}):
        raise Http404
    form = SendFilterForm(request.GET, channels=send_channel_choices(request.user))
    filters = form.filters()
    page = Paginator(filtered_sends(request.user, filters, timezone.now()), 30).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "narrowed": any((k, v) != ("state", PROBLEM) for k, v in filters.items()),
        "page": page,
        "rows": send_rows(request.user, page.object_list),
        "querystring": request.GET.copy(),
    }
    return render(request, "reminders/send_list.html", context)


@require_POST
def send_resend(request: HttpRequest, send_id: int) -> HttpResponse:
    send = resendable_send_for_user(request.user, send_id)
    try:
        services.send_retry(actor=request.user, send=send)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重新排队，提醒引擎下次运行时将发给{send.recipient.name}")
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "reminders:send-list")
