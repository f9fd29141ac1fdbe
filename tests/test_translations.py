"""The Simplified Chinese catalogue is complete, compiled, and covers every marked string in the source.

Nothing here needs the gettext binaries (a fresh machine may lack them): polib reads the .po and
the committed .mo, Python's ``ast`` finds the strings marked in Python code, and regular
expressions that follow Django's own ``templatize`` rules find those marked in templates.

When a test here fails after you added or changed a string:

    cd src/jiedu && DJANGO_SETTINGS_MODULE=jiedu.settings \\
        ../../.venv/bin/django-admin makemessages -l zh_Hans --no-obsolete --ignore 'static/vendor/*'
    # translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po (no "fuzzy" left), then
    DJANGO_SETTINGS_MODULE=jiedu.settings ../../.venv/bin/django-admin compilemessages -l zh_Hans

and commit both django.po and django.mo.
"""

from __future__ import annotations

import ast
import datetime
import gettext as gnu_gettext
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.template import Context, Template
from django.utils import translation
from django.utils.functional import Promise

import jiedu

SRC = Path(jiedu.__file__).resolve().parent
LOCALE_DIR = SRC / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# printf-style placeholders as Python's % operator reads them: %(name)s, %d, %.2f; "%%" is a literal.
PYTHON_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)
TEMPLATE_VARIABLE = re.compile(r"{{\s*([\w.]+)\s*}}")
BRACE_PLACEHOLDER = re.compile(r"(?<!{){(\w*)(?:![rsa])?(?::[^{}]*)?}(?!})")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def live_entries(po):
    """Entries that reach the .mo: not the header, not obsolete."""
    return [e for e in po if not e.obsolete and e.msgid != ""]


def key_of(entry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


# ---------------------------------------------------------------------------------------------
# a. The .po itself: complete, nothing fuzzy, placeholders intact.


def test_the_catalogue_is_where_settings_look_for_it():
    assert PO_PATH.is_file(), PO_PATH
    assert any(Path(p).resolve() == SRC / "locale" for p in settings.LOCALE_PATHS), settings.LOCALE_PATHS


def test_header_declares_simplified_chinese_utf8_and_one_plural_form(po):
    assert po.metadata.get("Language") == "zh_Hans"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert re.sub(r"\s", "", po.metadata.get("Plural-Forms", "")) == "nplurals=1;plural=0;"
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"


def test_every_entry_is_translated(po):
    untranslated = []
    for entry in live_entries(po):
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if len(forms) != 1 or not all(s.strip() for s in forms.values()):
                untranslated.append(entry.msgid)
        elif not entry.msgstr.strip():
            untranslated.append(entry.msgid)
    assert untranslated == [], f"{len(untranslated)} entries without a translation: {untranslated}"


def test_no_entry_is_fuzzy(po):
    fuzzy = [e.msgid for e in live_entries(po) if "fuzzy" in e.flags]
    assert fuzzy == [], f"fuzzy entries are not used at run time; review and unmark them: {fuzzy}"


def python_placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in PYTHON_PLACEHOLDER.finditer(text) if m.group("conv") != "%")


def placeholders(entry, text: str) -> Counter:
    found = Counter()
    if "python-format" in entry.flags or PYTHON_PLACEHOLDER.search(entry.msgid):
        found += python_placeholders(text)
    if "python-brace-format" in entry.flags:
        found += Counter("{%s}" % m for m in BRACE_PLACEHOLDER.findall(text))
    found += Counter("{{ %s }}" % m for m in TEMPLATE_VARIABLE.findall(text))
    return found


def test_placeholders_in_each_translation_equal_those_in_the_source(po):
    wrong = []
    for entry in live_entries(po):
        if entry.msgid_plural:
            expected = placeholders(entry, entry.msgid_plural)
            translations = list(entry.msgstr_plural.values())
        else:
            expected = placeholders(entry, entry.msgid)
            translations = [entry.msgstr]
        for msgstr in translations:
            if placeholders(entry, msgstr) != expected:
                wrong.append((entry.msgid, msgstr))
    assert wrong == [], f"placeholders differ between source and translation: {wrong}"


def _sample_arguments(text: str) -> dict | tuple:
    named = {}
    positional = []
    for m in PYTHON_PLACEHOLDER.finditer(text):
        if m.group("conv") == "%":
            continue
        value = 1 if m.group("conv") in "diouxXeEfFgGc" else "x"
        if m.group("name") is None:
            positional.append(value)
        else:
            named[m.group("name")] = value
    return named if named else tuple(positional)


def test_every_python_format_translation_formats_without_error(po):
    """The % operator must accept each translation with the arguments the source string takes."""
    broken = []
    for entry in live_entries(po):
        if "python-format" not in entry.flags:
            continue
        source = entry.msgid_plural or entry.msgid
        arguments = _sample_arguments(source)
        for msgstr in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            try:
                msgstr % arguments
            except (KeyError, TypeError, ValueError) as exc:
                broken.append((entry.msgid, msgstr, repr(exc)))
    assert broken == []


# ---------------------------------------------------------------------------------------------
# b. The committed .mo says exactly what the .po says.


def catalogue_of(entries) -> dict:
    result = {}
    for entry in entries:
        if entry.msgid == "" or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            value = (entry.msgid_plural, tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)))
        else:
            value = entry.msgstr
        result[key_of(entry)] = value
    return result


def test_the_compiled_catalogue_matches_the_po(po):
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run compilemessages and commit the .mo"
    mo = polib.mofile(str(MO_PATH))
    compiled, source = catalogue_of(mo), catalogue_of(po)
    stale = sorted((k for k in source.keys() | compiled.keys() if source.get(k) != compiled.get(k)), key=str)
    assert stale == [], f"django.mo is out of date with django.po (run compilemessages): {stale[:20]}"
    assert re.sub(r"\s", "", mo.metadata.get("Plural-Forms", "")) == "nplurals=1;plural=0;"


def test_pythons_own_gettext_reads_the_compiled_catalogue(po):
    with MO_PATH.open("rb") as handle:
        catalogue = gnu_gettext.GNUTranslations(handle)
    for entry in live_entries(po):
        if entry.msgid_plural or entry.msgctxt:
            continue
        assert catalogue.gettext(entry.msgid) == entry.msgstr, entry.msgid


# ---------------------------------------------------------------------------------------------
# c. Every string marked for translation in the source has an entry.

GETTEXT_NAMES = {
    # name: (index of the context argument or None, index of the message, index of the plural or None)
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True)
class Marked:
    where: str  # "file:line"
    msgid: str
    plural: str | None = None
    context: str | None = None
    in_fstring: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def strings_in_python(source: str, filename: str) -> list[Marked]:
    """First string arguments of gettext-family calls (and ngettext plurals, pgettext contexts)."""
    tree = ast.parse(source, filename)
    in_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            in_fstring.update(id(inner) for inner in ast.walk(node))
    found = []
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    calls.sort(key=lambda n: (n.lineno, n.col_offset))
    for node in calls:
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT_NAMES:
            continue
        ctx_index, msg_index, plural_index = GETTEXT_NAMES[name]
        args = node.args
        if len(args) <= msg_index:
            continue
        msgid = _literal(args[msg_index])
        if msgid is None:
            continue  # a variable: xgettext cannot see it either
        has_plural = plural_index is not None and len(args) > plural_index
        plural = _literal(args[plural_index]) if has_plural else None
        context = _literal(args[ctx_index]) if ctx_index is not None else None
        found.append(Marked(f"{filename}:{node.lineno}", msgid, plural, context, id(node) in in_fstring))
    return found


# Django's template lexer splits on these; translation tags follow django.utils.translation.template.
TEMPLATE_TOKEN = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})")  # like Django's, a tag never spans lines
QUOTED = r"""(?:"[^"]*?"|'[^']*?')"""
INLINE_TRANSLATE = re.compile(
    rf"^\s*trans(?:late)?\s+({QUOTED})"
    rf"(?:\s*\|\s*[^\s:]+(?::(?:[^\s'\":]+|{QUOTED}))?)*"  # optional filters
    rf"(\s+.*context\s+({QUOTED}))?\s*"
)
BLOCK_TRANSLATE = re.compile(rf"^\s*blocktrans(?:late)?(\s+.*context\s+({QUOTED}))?(?:\s+|$)")
END_BLOCK_TRANSLATE = re.compile(r"^\s*endblocktrans(?:late)?$")
PLURAL_TAG = re.compile(r"^\s*plural$")
UNDERSCORE_CONSTANT = re.compile(r"""_\(((?:".*?")|(?:'.*?'))\)""")
TRIM_WHITESPACE = re.compile(r"\s*\n\s*")


def _unquote(literal: str) -> str:
    return literal[1:-1]


def strings_in_template(source: str, filename: str) -> list[Marked]:
    """``{% translate %}`` literals, ``{% blocktranslate %}`` bodies and ``_("...")`` constants."""
    found: list[Marked] = []
    line = 1
    in_block = None  # (context, trimmed, start line) while inside blocktranslate
    singular: list[str] = []
    plural: list[str] = []
    in_plural = False
    in_comment = False
    for token in TEMPLATE_TOKEN.split(source):
        start_line = line
        line += token.count("\n")
        if not token:
            continue
        is_tag, is_var = token.startswith("{%"), token.startswith("{{")
        contents = token[2:-2].strip() if (is_tag or is_var or token.startswith("{#")) else token
        if in_comment:
            in_comment = not (is_tag and contents == "endcomment")
            continue
        if in_block is not None:
            context, trimmed, block_line = in_block
            if is_tag and END_BLOCK_TRANSLATE.match(contents):
                text, plural_text = "".join(singular), "".join(plural) if in_plural else None
                if trimmed:
                    text = TRIM_WHITESPACE.sub(" ", text.strip())
                    if plural_text is not None:
                        plural_text = TRIM_WHITESPACE.sub(" ", plural_text.strip())
                found.append(Marked(f"{filename}:{block_line}", text, plural_text, context))
                in_block, singular, plural, in_plural = None, [], [], False
            elif is_tag and PLURAL_TAG.match(contents):
                in_plural = True
            elif is_var:
                (plural if in_plural else singular).append("%%(%s)s" % contents)
            elif is_tag:
                raise ValueError(f"{filename}:{start_line}: {token} is not allowed inside blocktranslate")
            else:
                (plural if in_plural else singular).append(token.replace("%", "%%"))
            continue
        if is_tag:
            if contents == "comment":  # as in templatize, {% comment "note" %} is not skipped
                in_comment = True
                continue
            inline = INLINE_TRANSLATE.match(contents)
            if inline:
                context = _unquote(inline.group(3)) if inline.group(3) else None
                msgid = _unquote(inline.group(1)).replace("%", "%%")
                found.append(Marked(f"{filename}:{start_line}", msgid, None, context))
                continue
            block = BLOCK_TRANSLATE.match(contents)
            if block:
                for literal in UNDERSCORE_CONSTANT.findall(contents):
                    found.append(Marked(f"{filename}:{start_line}", _unquote(literal)))
                context = _unquote(block.group(2)) if block.group(2) else None
                trimmed = "trimmed" in contents.split()
                in_block = (context, trimmed, start_line)
                continue
        if is_tag or is_var:
            for literal in UNDERSCORE_CONSTANT.findall(contents):
                found.append(Marked(f"{filename}:{start_line}", _unquote(literal)))
    if in_block is not None:
        raise ValueError(f"{filename}:{in_block[2]}: blocktranslate without endblocktranslate")
    return found


def python_files():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or "static" in path.relative_to(SRC).parts:
            continue
        yield path


def template_files():
    for path in sorted([*SRC.rglob("*.html"), *SRC.rglob("*.txt")]):
        if "static" in path.relative_to(SRC).parts:
            continue
        yield path


def marked_strings_in_source() -> list[Marked]:
    found = []
    for path in python_files():
        found += strings_in_python(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    for path in template_files():
        found += strings_in_template(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    return found


def problems_with(marked: list[Marked], po) -> list[str]:
    entries = {key_of(e): e for e in live_entries(po)}
    problems = []
    for item in marked:
        entry = entries.get(item.key)
        label = f"{item.where}: {item.msgid!r}" + (f" (context {item.context!r})" if item.context else "")
        if entry is None:
            hint = (
                " — it is inside an f-string, where xgettext (before 0.23) does not look: "
                "compute the translation outside the f-string"
                if item.in_fstring
                else " — run makemessages and translate it"
            )
            problems.append(f"{label} is not in django.po{hint}")
        elif item.plural is not None and entry.msgid_plural != item.plural:
            problems.append(f"{label}: plural {item.plural!r} differs from the .po's {entry.msgid_plural!r}")
    return problems


def test_every_marked_string_in_the_source_is_in_the_catalogue(po):
    marked = marked_strings_in_source()
    assert len(marked) > 100, f"only {len(marked)} marked strings found: is the extraction looking in {SRC}?"
    assert any(".html:" in m.where for m in marked)
    assert any(".py:" in m.where for m in marked)
    problems = problems_with(marked, po)
    assert problems == [], "\n".join(problems)


def test_the_check_reports_a_string_missing_from_the_catalogue(po):
    python = (
        "from django.utils.translation import gettext_lazy as _\n"
        'A = _("Residents")\n'
        'B = _("Quarantine the unicorns")\n'
    )
    template = (
        "{% load i18n %}<h1>{% translate 'Residents' %}</h1>\n"
        "<p>{% blocktranslate trimmed with n=3 %}\n  {{ n }} unicorns\n  escaped{% endblocktranslate %}</p>"
    )
    marked = strings_in_python(python, "synthetic.py") + strings_in_template(template, "synthetic.html")
    problems = problems_with(marked, po)
    assert len(problems) == 2, problems
    assert "synthetic.py:3: 'Quarantine the unicorns' is not in django.po" in problems[0]
    assert "synthetic.html:2: '%(n)s unicorns escaped' is not in django.po" in problems[1]


def test_python_extraction_handles_plurals_contexts_and_fstrings():
    source = (
        "from django.utils import translation\n"
        "from django.utils.translation import gettext as _, ngettext, pgettext_lazy\n"
        "a = ngettext('%(n)d room', '%(n)d rooms', 2)\n"
        "b = pgettext_lazy('person', 'Name')\n"
        "c = f\"{_('whole region')}\"\n"
        "d = translation.gettext('Implicit ' 'concatenation')\n"
        "e = _(variable)\n"
        "key, _, rest = 'a:b'.partition(':')\n"
    )
    found = strings_in_python(source, "x.py")
    assert found == [
        Marked("x.py:3", "%(n)d room", "%(n)d rooms"),
        Marked("x.py:4", "Name", None, "person"),
        Marked("x.py:5", "whole region", None, None, True),
        Marked("x.py:6", "Implicit concatenation"),
    ]


def test_template_extraction_follows_djangos_rules():
    template = (
        "{% load i18n %}{% translate \"100% done\" %}{% trans 'May' context \"month\" %}"
        "{% comment %}{% translate 'not extracted' %}{% endcomment %}\n"
        "{% blocktranslate count n=items|length trimmed %}\n  {{ n }} item\n{% plural %}\n  {{ n }} items\n"
        "{% endblocktranslate %}{{ _('Constant') }}{% firstof var _('Fallback') %}"
        "{% blocktrans with a=b context 'ctx' %}Hello {{ a }}{% endblocktrans %}{% translate var %}"
    )
    assert strings_in_template(template, "t.html") == [
        Marked("t.html:1", "100%% done"),
        Marked("t.html:1", "May", None, "month"),
        Marked("t.html:2", "%(n)s item", "%(n)s items"),
        Marked("t.html:6", "Constant"),
        Marked("t.html:6", "Fallback"),
        Marked("t.html:6", "Hello %(a)s", None, "ctx"),
    ]


# ---------------------------------------------------------------------------------------------
# d. Django actually serves the translations.


def test_gettext_returns_chinese_under_zh_hans_and_english_under_en():
    with translation.override("zh-hans"):
        assert translation.gettext("Residents") == "戒毒人员"
        assert translation.gettext("Audit trail") == "审计日志"
    with translation.override("en"):
        assert translation.gettext("Residents") == "Residents"


def test_templates_render_translations_and_the_single_plural_form():
    template = Template(
        "{% load i18n %}{% translate 'Residents' %}|"
        "{% blocktranslate count n=count %}{{ n }} resident{% plural %}{{ n }} residents"
        "{% endblocktranslate %}|"
        "{% blocktranslate with n=2 total=5 %}Page {{ n }} of {{ total }}{% endblocktranslate %}"
    )
    with translation.override("zh-hans"):
        one = template.render(Context({"count": 1}))
        many = template.render(Context({"count": 7}))
    assert one == "戒毒人员|共 1 名戒毒人员|第 2 页，共 5 页"
    assert many == "戒毒人员|共 7 名戒毒人员|第 2 页，共 5 页"


def test_python_format_messages_interpolate_in_chinese():
    from jiedu.people import identity

    with translation.override("zh-hans"):
        with pytest.raises(identity.InvalidIdNumber) as caught:
            identity.parse_id_number("1501", today=datetime.date(2026, 1, 1))
    assert str(caught.value) == "身份证号码应为 18 位，当前为 4 位。"


# ---------------------------------------------------------------------------------------------
# e. Model metadata (verbose names, choice labels) is translated.


def jiedu_models():
    for config in apps.get_app_configs():
        if config.name.startswith("jiedu."):
            yield from config.get_models()


def _is_chinese(text) -> bool:
    return bool(CJK.search(str(text)))


def _choice_labels(choices):
    for value, label in choices or ():
        if isinstance(label, (list, tuple)):  # an optgroup: (group label, [(value, label), ...])
            yield value
            yield from (inner for _, inner in label)
        else:
            yield label


ABSTRACT_USER_FIELDS = {f.name for f in AbstractUser._meta.get_fields()}


def test_model_and_app_verbose_names_and_choices_are_chinese():
    assert list(jiedu_models()), "no jiedu models found"
    english = []
    with translation.override("zh-hans"):
        for config in apps.get_app_configs():
            if config.name.startswith("jiedu.") and isinstance(config.verbose_name, Promise):
                if not _is_chinese(config.verbose_name):
                    english.append(f"app {config.label}: {config.verbose_name}")
        for model in jiedu_models():
            label = model._meta.label
            for attr in ("verbose_name", "verbose_name_plural"):
                value = getattr(model._meta, attr)
                if isinstance(value, Promise) and not _is_chinese(value):
                    english.append(f"{label}.{attr}: {value}")
            for field in model._meta.get_fields():
                name = f"{label}.{field.name}"
                verbose = getattr(field, "verbose_name", None)
                if isinstance(verbose, Promise) and not _is_chinese(verbose):
                    # Fields from AbstractUser are translated by Django's own zh_Hans catalogue;
                    # the assertion holds for them too, and says so when it does not.
                    origin = " (from Django's AbstractUser)" if field.name in ABSTRACT_USER_FIELDS else ""
                    english.append(f"{name}: {verbose}{origin}")
                help_text = getattr(field, "help_text", "")
                if isinstance(help_text, Promise) and not _is_chinese(help_text):
                    english.append(f"{name}.help_text: {help_text}")
                for choice in _choice_labels(getattr(field, "choices", None)):
                    if isinstance(choice, Promise) and not _is_chinese(choice):
                        english.append(f"{name} choice: {choice}")
    assert english == [], "\n".join(english)


def test_editable_model_fields_have_translatable_verbose_names():
    """A field without a lazy verbose_name shows its English attribute name in forms and errors."""
    plain = []
    for model in jiedu_models():
        for field in model._meta.get_fields():
            if field.auto_created or not getattr(field, "concrete", False):
                continue
            if not getattr(field, "editable", False):
                continue
            if field.name in ABSTRACT_USER_FIELDS:
                continue
            if not isinstance(field.verbose_name, Promise):
                plain.append(f"{model._meta.label}.{field.name}: {field.verbose_name!r}")
            for choice in _choice_labels(field.choices):
                if not isinstance(choice, Promise) and not _is_chinese(choice):
                    plain.append(f"{model._meta.label}.{field.name} choice: {choice!r}")
    assert plain == [], "\n".join(plain)


def test_abstract_user_fields_are_chinese_through_djangos_catalogue():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    with translation.override("zh-hans"):
        fields = [f for f in user_model._meta.get_fields() if f.name in ABSTRACT_USER_FIELDS]
        names = {f.name: str(f.verbose_name) for f in fields}
    assert set(names) == ABSTRACT_USER_FIELDS
    assert all(_is_chinese(v) for v in names.values()), names
