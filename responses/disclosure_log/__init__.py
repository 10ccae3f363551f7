"""Reading the disclosure log: full-text search (``search``) and the filtered, keyset-paged
list the page, the feed and the API share (``listing``). Nothing here changes an entry:
publishing and withdrawing are ``responses.workflow.publication``'s."""
