"""The algorithm security self-assessment report (算法安全自评估报告) of one review, from its evidence.

:func:`gather` reads everything the report says from the evidence store (:class:`ReportContent`);
:func:`write_docx` and :func:`write_pdf` lay that content out. Nothing is read from the plan, the
datasets or the notebook templates, so the report of a review can be regenerated at any time from
the store and checked against it.
"""

from assess.selfreport.content import ReportContent, find_review, gather, list_reviews, review_rows
from assess.selfreport.docx_writer import write_docx
from assess.selfreport.pdf_writer import write_pdf

__all__ = ["ReportContent", "find_review", "gather", "list_reviews", "review_rows", "write_docx", "write_pdf"]
