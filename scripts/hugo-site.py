#!/usr/bin/env python3
"""Writes a Hugo site equivalent to a built plansite site, for the build-time
comparison in scripts/bench.sh (see docs/benchmark.md).

    scripts/hugo-site.py PLANSITE_OUTPUT HUGO_DIR

It reads the plansite build's open data (data/plans.json, tasks.json,
agencies.json), so both tools publish the same plans, tasks and agencies:
in each language a page per task (its title, output, deadline, state and
agencies), a page per plan listing its tasks, and a page per agency (a Hugo
taxonomy term) listing every task it leads or supports, each with a header,
breadcrumb and footer. Hugo's own RSS feeds (the newest 20 entries)
and sitemap stay on, as plansite writes feeds and a sitemap too. The
templates use Hugo's cheap idioms (`.Parent`, not `.Ancestors`, which costs
Hugo 0.111 a third of its build here). The same input gives the same files.
"""

import json
import os
import shutil
import sys

CONFIG = """baseURL = "https://hugo.example.org/"
title = "Plans"
defaultContentLanguage = "vi"
defaultContentLanguageInSubdir = true
[services.rss]
limit = 20
[taxonomies]
agency = "agencies"
[languages.vi]
contentDir = "content/vi"
languageName = "Tiếng Việt"
weight = 1
[languages.en]
contentDir = "content/en"
languageName = "English"
weight = 2
"""

BASEOF = """<!doctype html>
<html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head><body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a>{{ end }}</nav></header>
<nav class="breadcrumb">{{ with .Parent }}{{ with .Parent }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> › {{ end }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> › {{ end }}{{ .Title }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }} · {{ .Lastmod.Format "2006-01-02" }}</footer>
</body></html>
"""

SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<dl><dt>State</dt><dd>{{ .Params.state }}</dd><dt>Deadline</dt><dd>{{ .Params.due }}</dd>
<dt>Output</dt><dd>{{ .Params.output }}</dd>
<dt>Agencies</dt><dd>{{ range .GetTerms "agencies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd></dl>
{{ .Content }}</article>{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ol>{{ range .RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ .Params.due }} · {{ .Params.state }}</li>{{ end }}</ol>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""

TERM = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ .Params.due }} · {{ .Params.state }}</li>{{ end }}</ol>{{ end }}
"""


def front(fields):
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items()) + "---\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: hugo-site.py PLANSITE_OUTPUT HUGO_DIR")
    data, out = os.path.join(sys.argv[1], "data"), sys.argv[2]
    load = lambda name: json.load(open(os.path.join(data, f"{name}.json"), encoding="utf-8"))[name]
    plans, tasks, agencies = load("plans"), load("tasks"), load("agencies")
    shutil.rmtree(out, ignore_errors=True)
    write(os.path.join(out, "hugo.toml"), CONFIG)
    for name, text in [("baseof", BASEOF), ("single", SINGLE), ("list", LIST), ("term", TERM)]:
        write(os.path.join(out, "layouts", "_default", f"{name}.html"), text)
    for lang in ("vi", "en"):
        root = os.path.join(out, "content", lang)
        write(os.path.join(root, "_index.md"), front({"title": "Plans"}))
        for a in agencies:
            body = f"{a['name'][lang]} ({a['kind']}, {a['jurisdiction']})\n"
            write(os.path.join(root, "agencies", a["id"], "_index.md"), front({"title": a["name"][lang]}) + body)
        for p in plans:
            body = f"{p['title'][lang]}\n\n{p['number']} · {p['date']} · {p['task_count']} tasks\n"
            write(os.path.join(root, "plans", p["id"], "_index.md"), front({"title": p["short_name"][lang]}) + body)
        for t in tasks:
            plan, number = t["id"].split("/", 1)
            fields = {
                "title": t["title"][lang],
                "translationKey": t["id"],
                "agencies": t["lead"] + t["support"],
                "due": t["due"]["text"][lang],
                "output": (t["output"] or {}).get(lang, ""),
                "state": t["state"],
            }
            body = f"{t['number']} {t['title'][lang]}\n\n{fields['output']}\n"
            write(os.path.join(root, "plans", plan, "tasks", f"{number}.md"), front(fields) + body)


if __name__ == "__main__":
    main()
