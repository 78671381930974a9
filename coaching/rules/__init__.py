"""Wording rules as data: one YAML file per category and language, loaded once at import.

Each entry: id (``<category>.<lang>.<slug>``), type (``pattern`` or ``modal_subject``), patterns,
antipatterns, explanation, suggestion (a string, or a mapping usted/tu/vos), tip (1-7), and the
``flag:`` / ``pass:`` example lines the tests run. Patterns match folded text (lower case, no
accents, chat spelling expanded). Macros keep word gaps bounded, hence linear:
``@GAP`` is up to three words, ``@GAP6`` up to six, ``@END`` the end of a clause. A file may
also name its own word lists in an entry ``- macros: {INSULT: 'idiota|...'}``, used as ``@INSULT``.
"""

from coaching.rules.loader import RULES, Rule, RuleType, expand, load_rules

__all__ = ["RULES", "Rule", "RuleType", "expand", "load_rules"]
