"""The private coach: notice blame and contempt in words meant for a partner.

Rule-based and in-process: no text leaves the server, nothing is stored, and the
answer goes to the writer alone. It never blocks sending. It offers a rewrite in the
"I feel ... about ..., and I need ..." form, which the writer can take, edit or
ignore. A wrong nudge is worse than a missed one, so every rule looks for a
specific shape of blame, and praise, negations and quoted speech are set aside
first. Measured by bench/coach.py (figures in bench/README.md).

English only for now: in another language it stays quiet.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Quoted speech is someone else's words, reported: set aside before checking.
_QUOTED = re.compile(r"\"[^\"]{2,}\"|“[^”]{2,}”|(?<![a-z])'[^']{4,}'(?![a-z])", re.I)

_YOU = r"\byou(?:'re| are|'ve| have| just| really| simply)?"
_ABSOLUTE = re.compile(
    r"\b(?:you(?:'re| are)? (?:always|never|constantly|forever)|"
    r"you (?:don't|do not|didn't|did not|won't|will not|can't|cannot) ever|"
    r"every (?:single )?time\b[^.!?,]{0,30}?\byou|why (?:do|does|can't|won't|don't) you (?:ever|always)|"
    r"you(?: just)? (?:never|always) (?:ever )?)\b",
    re.I,
)
# What follows "always" and makes it praise, not blame.
_PRAISE_AFTER_ALWAYS = re.compile(
    r"^\s*(?:(?:know|knew) how to|make me (?:smile|laugh|feel (?:safe|loved|better|"
    r"seen|good|special|welcome))|(?:cheer|lift) me|find (?:a|the) way|"
    r"(?:help|support|surprise|amaze|remember|thank|smile|hug|encourage|believe in)|"
    r"(?:have|had) my back|(?:listen|listened) (?:so )?(?:well|closely|carefully)|"
    r"(?:look|looks) (?:out|after)|(?:say|said) (?:the right|thank|something kind)|"
    r"(?:been|are) (?:there|so kind|patient|generous|thoughtful|good to me))",
    re.I,
)
# What follows "never" and makes it praise: never failing, never giving up.
_PRAISE_AFTER_NEVER = re.compile(
    r"^\s*(?:fail to|let me down|stop (?:trying|caring|making|surprising)|give up|"
    r"quit|have to|need to (?:apologi[sz]e|explain|hide)|judge|forget to (?:say|thank)|"
    r"complain)",
    re.I,
)
# Words that make "praise" after an absolute read as blame after all.
_SOUR = re.compile(
    r"\b(?:blame|critici[sz]e|ruin|hurt|mock|complain|lie|lying|leave|forget|"
    r"embarrass|undermine|belittle|twist|yell|shout|avoid)",
    re.I,
)
_SARCASM_CUE = re.compile(
    r"\b(?:again|late|forg[eo]t|broke|broken|ruin|ex|everything|lost|missed|"
    r"spilled|wrong|mess|nothing)\b",
    re.I,
)

# "I feel that you ..." and "I feel like you ...": a judgement dressed as a feeling.
_FEEL_THAT_YOU = re.compile(
    r"\bi (?:feel|felt) (?:that|like|as if|as though) you\b", re.I
)
_CHARACTER_WORDS = (
    r"selfish|lazy|useless|pathetic|stupid|a liar|liar|crazy|cold|heartless|"
    r"manipulative|toxic|childish|impossible|ridiculous|hopeless|a narcissist|"
    r"narcissistic|an idiot|idiot|disgusting|weak|cruel|irresponsible|controlling|"
    r"dramatic|insane|a jerk|a failure|a mess|a joke|pathological|worthless|"
    r"incapable|incompetent|clueless|spineless|a coward|cowardly|immature|"
    r"unbelievable|the worst|a baby|paranoid|obsessed|hysterical|a child|"
    r"inconsiderate|careless|arrogant|a hypocrite|hypocritical|fake|two-faced|"
    r"disrespectful|ungrateful|rude|mean|nasty|dishonest|unreliable|a nightmare|"
    r"exhausting|unbearable|a disappointment|an embarrassment|embarrassing|"
    r"delusional|stubborn|petty|vindictive|needy|clingy|cheap|a slob|a snake"
)
_CHARACTER = re.compile(
    rf"(?:\byou(?:'re| are|'ve been| have been| were| was)|\byou)"
    rf"(?: (?:so|such|just|really|still|being|completely|totally|truly|always|honestly|"
    rf"literally|acting|a|an|the|like|incredibly|unbelievably|seriously))* "
    rf"(?:{_CHARACTER_WORDS})\b|"
    rf"\b(?:what kind of (?:a )?(?:person|man|woman|partner|husband|wife) "
    rf"(?:does|would|is)|what(?:'s| is) wrong with you|who does that|"
    rf"how could you (?:be so|even)|you(?:'re| are) (?:a|an) (?:\w+ )?"
    rf"(?:excuse for|waste of))\b",
    re.I,
)
_CONTEMPT = re.compile(
    r"\b(?:grow up|get over (?:it|yourself)|typical(?: you)?[.!,]|as usual[.!,]?|"
    r"yeah,? right|sure you (?:did|do|will|are)|of course you (?:did|do|would|forgot)|"
    r"thanks (?:for nothing|a lot)[.!,]|how hard (?:is|was|can) it|"
    r"can't you (?:even|just|ever)|you can't even|you didn't even|you don't even|"
    r"it'?s (?:all )?your fault|because of you(?:,| i| we| this| everything)|"
    r"you (?:ruined|ruin|destroyed|destroy|wreck|wrecked) (?:everything|it|this|us|"
    r"my|our)|you (?:only|just) care about yourself|you don't care(?: about)? "
    r"(?:about )?(?:me|us|anyone|anything)|you don't care\b|"
    r"you made me (?:do|say|feel (?:stupid|small|worthless|like an idiot)|angry|cry|"
    r"this|that|so angry|lose)|you (?:never|don't|do not) listen|"
    r"you (?:ignore|ignored) me|you (?:refuse|refused) to|whatever you say|"
    r"don't be (?:so |such )?(?:dramatic|ridiculous|stupid|a baby|childish)|"
    r"nobody (?:cares|asked)|shut up|who cares|big deal|"
    r"must be nice to|nice of you to (?:finally|actually|bother)|"
    r"for once in your life|for once[.!?,]|thanks for (?:finally|actually|bothering)|"
    r"congratulations on (?:finally|actually)|glad you could (?:finally )?(?:bother|"
    r"make it)|wow,? (?:you|thanks|great|nice|so|really)[^.!?]*(?:finally|"
    r"actually|again|for once|bother)|"
    r"(?:great|nice|good|brilliant) job(?:,| on)[^.!?]*(?:again|as usual|ruin|"
    r"forget|forgot|mess)|real(?:ly)? mature|very mature|how mature)",
    re.I,
)
# A negation just before the blaming words turns it round: "you're not lazy".
_NEGATED = re.compile(
    r"(?:\bnot|n't|\bnot saying|\bnever said|\bno one thinks|\bnobody thinks|\bdon't think|"
    r"\bdon't believe|\bwouldn't say|\bnever thought)"
    r"(?: (?:that|you|you're|you are|were|was|being|so|at all|really|just|a|an))* ?$",
    re.I,
)
_FEELING_WORDS = {
    "absolute": "hurt",
    "character": "upset",
    "contempt": "frustrated",
    "feel_that_you": "lonely",
}


@dataclass(frozen=True)
class Advice:
    """What the coach noticed in one message, for its writer only."""

    is_blame: bool
    reasons: list[str] = field(default_factory=list)
    suggestion: str = ""


def _unquoted(text: str) -> str:
    return _QUOTED.sub(" … ", text)


def _negated(before: str) -> bool:
    return bool(_NEGATED.search(before[-40:]))


def _absolutes(text: str) -> bool:
    for match in _ABSOLUTE.finditer(text):
        after = text[match.end() :]
        clause_after = re.split(r"[.!?;]", after, maxsplit=1)[0]
        praise = (
            _PRAISE_AFTER_NEVER
            if "never" in match.group(0).lower()
            else _PRAISE_AFTER_ALWAYS
        )
        praised = praise.match(clause_after)
        if praised and not _SOUR.search(clause_after[praised.end() :]):
            continue
        # "Do you always ...?" and "Are you always ...?" are often plain questions.
        start = text.rfind(".", 0, match.start()) + 1
        clause = text[start : match.start()].strip().lower()
        if clause in ("do", "are", "did", "have") and not re.search(
            _CHARACTER_WORDS, clause_after, re.I
        ):
            continue
        if _negated(text[: match.start()]):
            continue
        return True
    return False


_OH_GREAT = re.compile(
    r"\boh,? (?:great|wonderful|perfect|fantastic|brilliant|lovely)[,.!]"
    r"([^.!?]*\byou[^.!?]*)",
    re.I,
)


def _sarcastic(text: str) -> bool:
    """Return whether praise opens a sentence about something that went wrong."""
    return any(_SARCASM_CUE.search(m.group(1)) for m in _OH_GREAT.finditer(text))


def _found(pattern: re.Pattern[str], text: str) -> bool:
    return any(not _negated(text[: m.start()]) for m in pattern.finditer(text))


def _what_about(text: str) -> str:
    """Return the situation the message is about, as a phrase, or an ellipsis."""
    match = re.search(
        r"\byou(?:'re| are)? (?:always|never|constantly) ([^.!?;,]{3,80})", text, re.I
    )
    if match:
        rest = match.group(1).strip()
        word = match.group(0).split()[1].lower()
        verb = "don't " if word == "never" else ""
        return _("it when you %(what)s") % {"what": verb + rest}
    return "…"


def check(text: str) -> Advice:
    """Return what the coach makes of TEXT: blame or not, why, and a softer start."""
    plain = _unquoted(text or "")
    reasons = []
    if _absolutes(plain):
        reasons.append("absolute")
    if _found(_FEEL_THAT_YOU, plain):
        reasons.append("feel_that_you")
    if _found(_CHARACTER, plain):
        reasons.append("character")
    if _found(_CONTEMPT, plain) or _sarcastic(plain):
        reasons.append("contempt")
    if not reasons:
        return Advice(is_blame=False)
    feeling = _FEELING_WORDS[reasons[0]]
    suggestion = _("I feel %(feeling)s about %(what)s, and I need …") % {
        "feeling": feeling,
        "what": _what_about(plain),
    }
    return Advice(is_blame=True, reasons=reasons, suggestion=suggestion)


def reason_labels(reasons: list[str]) -> list[str]:
    labels = {
        "absolute": _('"Always" and "never" turn one moment into who someone is.'),
        "feel_that_you": _(
            '"I feel that you ..." is a judgement about them; a feeling is one '
            "word about you: hurt, scared, lonely."
        ),
        "character": _("Words about who someone is land harder than what happened."),
        "contempt": _("This may read as scorn, even if it isn't meant that way."),
    }
    return [str(labels[r]) for r in reasons]


# Three messages in a row that read as blame: suggest a pause, to the writer only.
ESCALATION_RUN = 3


def is_escalating(recent: list[str], current: str) -> bool:
    """Return whether CURRENT and the writer's RECENT messages all read as blame."""
    run = [*recent[-(ESCALATION_RUN - 1) :], current]
    return len(run) >= ESCALATION_RUN and all(check(t).is_blame for t in run)
