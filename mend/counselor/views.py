import uuid
from datetime import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest, attempt
from mend.conversations.models import MAX_NOTE, Conversation
from mend.counselor import actions
from mend.counselor.brief import brief_pdf
from mend.counselor.models import Admission, Counselor, Scope
from mend.counselor.reading import couple_view, home_rows, may_witness, witnessed
from mend.couples.context_processors import current_space
from mend.lib.errors import Refused
from mend.live import stream as live_stream
from mend.live.models import Event


class BecomeForm(forms.Form):
    # No max_length: a longer name is refused by the model with a message, not cut.
    practice = forms.CharField(
        label=gettext_lazy("Your practice (optional)"), required=False
    )


class JoinForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("The code the couple gave you"))


class ApproveForm(forms.Form):
    words = forms.CharField(
        label=gettext_lazy('To approve, type "I agree"'), required=False
    )


class AssignForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("The task"), widget=forms.Textarea)
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    assignee = forms.ChoiceField(label=gettext_lazy("For"), required=False)

    def __init__(self, *args: Any, partners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Both of them"))] + [
            (str(p.code), str(p)) for p in partners
        ]


def _served(request: AuthenticatedHttpRequest, code: str) -> Admission:
    """Return the couple this counselor serves now, else 404 (removed: 404 at once)."""
    return get_object_or_404(Admission.objects.serving(request.user), code=code)


def _partner_side(request: AuthenticatedHttpRequest, code: str) -> Admission:
    return get_object_or_404(
        Admission.objects.for_member(request.user).current().with_details(), code=code
    )


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The counselor's home (their couples), and the partners' counselor page."""
    return _index_page(request, BecomeForm())


def _index_page(
    request: AuthenticatedHttpRequest, become_form: BecomeForm, status: int = 200
) -> HttpResponse:
    user = request.user
    space = current_space(request)
    is_counselor = Counselor.is_counselor(user)
    today = timezone.localdate(timezone.now(), user.tzinfo)
    admissions = (
        list(
            Admission.objects.for_member(user)
            .current()
            .with_details()
            .order_by("created_at")
        )
        if space is not None
        else []
    )
    return render(
        request,
        "counselor/index.html",
        {
            "is_counselor": is_counselor,
            "couples": home_rows(Admission.objects.serving(user), today)
            if is_counselor
            else [],
            "admissions": [
                {
                    "admission": a,
                    "i_approved": user.pk in a.approved_by(),
                    "scopes": a.scope_rows(user),
                }
                for a in admissions
            ],
            "become_form": become_form,
            "join_form": JoinForm(initial={"code": request.GET.get("code", "")}),
            "approve_form": ApproveForm(),
            "new_code": request.session.pop("counselor_code", None),
        },
        status=status,
    )


@login_required
@require_POST
def become(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BecomeForm(request.POST)
    if form.is_valid():
        try:
            Counselor.become(request.user, form.cleaned_data["practice"])
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request, _("You are listed as a counselor. Couples can now invite you.")
            )
            return redirect("counselor:index")
    # Refused (a practice name too long, say): the page again, with it, whole.
    return _index_page(request, form, status=400)


@login_required
@require_POST
def join(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter the code the couple gave you."))
    else:
        attempt(
            request,
            lambda: actions.join(request.user, form.cleaned_data["code"]),
            _(
                "Thank you. You'll see this couple once both partners have approved, "
                "each in their own words."
            ),
        )
    return redirect("counselor:index")


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    try:
        _invite, secret = actions.invite(space, request.user)
    except Refused as e:
        messages.error(request, str(e))
    else:
        request.session["counselor_code"] = secret
    return redirect("counselor:index")


@login_required
@require_POST
def approve(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _partner_side(request, code)
    words = request.POST.get("words", "")
    attempt(
        request,
        lambda: admission.approve(request.user, str(words)),
        _("Thank you. Your approval is recorded."),
    )
    return redirect("counselor:index")


@login_required
@require_POST
def remove(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _partner_side(request, code)
    attempt(
        request,
        lambda: admission.remove(request.user),
        _("The counselor no longer sees anything of yours, from now on."),
    )
    return redirect("counselor:index")


@login_required
@require_POST
def set_scope(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _partner_side(request, code)
    scope = request.POST.get("scope", "")
    on = request.POST.get("on") == "1"
    attempt(
        request,
        lambda: admission.set_scope(request.user, scope, on=on),
        _("Saved. It is shown once you both say yes.")
        if on
        else _("Saved. The counselor no longer sees this."),
    )
    return redirect("counselor:index")


@login_required
def couple(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _served(request, code)
    return _couple_page(
        request, admission, AssignForm(partners=admission.space.partners())
    )


def _couple_page(
    request: AuthenticatedHttpRequest,
    admission: Admission,
    assign_form: AssignForm,
    status: int = 200,
) -> HttpResponse:
    context = couple_view(admission)
    context.update(
        {
            "admission": admission,
            "names": " & ".join(str(p) for p in admission.space.partners()),
            "assign_form": assign_form,
            "scope_labels": dict(Scope.choices),
        }
    )
    return render(request, "counselor/couple.html", context, status=status)


@login_required
@require_POST
def assign(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _served(request, code)
    form = AssignForm(request.POST, partners=admission.space.partners())
    # Refused or invalid (an assignee outside the couple, say): the page again, with
    # what was typed, whole, and why.
    if form.is_valid():
        try:
            actions.assign(
                admission,
                request.user,
                text=form.cleaned_data["text"],
                due_on=form.cleaned_data["due_on"],
                assignee_code=form.cleaned_data["assignee"],
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request, _("Task set. The couple sees it with their goals.")
            )
            return redirect("counselor:couple", code=admission.code)
    return _couple_page(request, admission, form, status=400)


def _brief_context(admission: Admission) -> dict[str, Any]:
    context = couple_view(admission, since=admission.since())
    context.update(
        {
            "admission": admission,
            "names": " & ".join(str(p) for p in admission.space.partners()),
            "since": admission.since(),
            "scope_labels": dict(Scope.choices),
        }
    )
    return context


@login_required
def brief(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _served(request, code)
    return render(request, "counselor/brief.html", _brief_context(admission))


@login_required
def brief_as_pdf(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _served(request, code)
    response = HttpResponse(
        brief_pdf(_brief_context(admission)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="session-brief.pdf"'
    return response


@login_required
@require_POST
def mark_session(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    admission = _served(request, code)
    attempt(
        request,
        lambda: admission.mark_session(request.user),
        _("Session noted. The next brief starts from now."),
    )
    return redirect("counselor:couple", code=admission.code)


def _witnessed(admission: Admission, conversation_code: str) -> Conversation:
    """Return the conversation to witness, else 404 (scope off: 404 at once)."""
    conversation = witnessed(admission, conversation_code)
    if conversation is None:
        raise Http404
    return conversation


@login_required
def witness(
    request: AuthenticatedHttpRequest, code: str, conversation_code: str
) -> HttpResponse:
    """Follow one of the couple's conversations as a witness: it updates live."""
    admission = _served(request, code)
    conversation = _witnessed(admission, conversation_code)
    return _witness_page(request, admission, conversation)


def _witness_page(
    request: AuthenticatedHttpRequest,
    admission: Admission,
    conversation: Conversation,
    error: str = "",
    draft: str = "",
) -> HttpResponse:
    context = {
        "admission": admission,
        "names": " & ".join(str(p) for p in admission.space.partners()),
        "conversation": conversation,
        "topics": conversation.topic_list(),
        "turns": conversation.turn_list(),
        "outcomes": conversation.outcome_list(),
        "notes": conversation.note_list(),
        "has_note": conversation.has_note_by(request.user),
        "me": request.user,
        "witness": True,
        "max_note": MAX_NOTE,
        "error": error,
        "draft": draft,
    }
    status = 400 if error else 200
    if request.headers.get("HX-Request") == "true":
        return render(request, "counselor/_witness.html", context, status=status)
    return render(request, "counselor/conversation.html", context, status=status)


@login_required
@require_POST
def witness_note(
    request: AuthenticatedHttpRequest, code: str, conversation_code: str
) -> HttpResponse:
    admission = _served(request, code)
    conversation = _witnessed(admission, conversation_code)
    text = str(request.POST.get("text", ""))
    try:
        actions.add_witness_note(admission, request.user, conversation, text)
    except Refused as e:
        # Shown again with the words typed, whole: a refused note loses nothing.
        return _witness_page(request, admission, conversation, str(e), text)
    messages.success(
        request, _("Your note is kept. Both partners see it with their conversation.")
    )
    return redirect(
        "counselor:witness", code=admission.code, conversation_code=conversation.code
    )


def _witness_stream_of(
    request: HttpRequest, code: uuid.UUID, conversation_code: uuid.UUID
) -> tuple[int, int, live_stream.Lease, datetime] | None:
    found = live_stream.person(request)
    if found is None:
        return None
    user, signed_in, until = found
    admission = Admission.objects.serving(user).filter(code=code).first()
    if admission is None or not may_witness(user, code, conversation_code):
        return None

    def lease() -> datetime | None:
        # Asked when the stream is woken: removal and a scope turned off wake the
        # counselor's streams (Admission.remove, set_scope), and so does signing out.
        if not may_witness(user, code, conversation_code):
            return None
        return signed_in()

    return user.pk, admission.space_id, lease, until


async def witness_stream(
    request: HttpRequest, code: uuid.UUID, conversation_code: uuid.UUID
) -> HttpResponseBase:
    """The live stream, for a witness: this conversation's events only, and only
    while the counselor is admitted and may see conversation records."""
    who = await sync_to_async(_witness_stream_of)(request, code, conversation_code)
    if who is None:
        return HttpResponse(status=404, content_type="text/plain")
    subject = str(conversation_code)

    def this_conversation(wire: dict[str, Any]) -> bool:
        return bool(
            wire["type"] == Event.Types.CONVERSATION and wire["code"] == subject
        )

    return live_stream.respond(request, *who, keep=this_conversation)
