"""The importer: feed/ (text articles, feed documents) -> Article records -> docs/ Markdown.

Stages, one module each: `read` (feed folder -> Articles), `parse` (plain text -> Article),
`render` (Article -> Markdown, pure), `lists` (Articles -> home/list/topic pages, pure),
`sync` (plan and apply writes to docs/, never over a hand edit).
"""
