# The two commands of the README.
.PHONY: demo test bench

# Set up, then run the review of the demo subject into reports/ and mlruns/.
# Exit status 1 means the review's verdict is FAIL, which the demo data is built to provoke.
demo:
	scripts/setup
	.venv/bin/assess run review.yaml || { status=$$?; [ $$status -eq 1 ] && echo "FAIL is the demo's expected verdict: its data is built with planted personal data, wrong labels and duplicates"; [ $$status -eq 1 ]; }
	@echo "open reports/index.html; evidence: .venv/bin/mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db"

# Set up with the test tools, then run the whole test suite.
test:
	scripts/setup --test
	.venv/bin/python -m pytest

bench:
	.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	.venv/bin/python benchmarks/pii_scan.py
	.venv/bin/python benchmarks/pii_floor.py
	.venv/bin/python benchmarks/pii_files.py
	.venv/bin/python benchmarks/keyword_flags.py
	.venv/bin/python benchmarks/membership.py
	.venv/bin/python benchmarks/data_quality.py
	.venv/bin/python benchmarks/label_issues.py
	.venv/bin/python benchmarks/lm_leakage.py
	.venv/bin/python benchmarks/demo_generator.py
	.venv/bin/python benchmarks/review_jobs.py
