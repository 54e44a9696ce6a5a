"""Publishing tools, apart from what notebooks import: the PDF edition
(``python -m nevbook.publish.pdf``), the external-link report
(``python -m nevbook.publish.linkreport``), the icon-font subset the
Sphinx extension writes after each HTML build, and the one Chromium helper
they, the tests and the benchmark share (``chromium``)."""
