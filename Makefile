# tensordojo — the two commands of the README, and a few helpers.
.PHONY: up test check image gpu-image venv lint format check-exercises bench compose-test clean help

help:            ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

up:              ## install what is missing, build the sandbox, run everything on 127.0.0.1:8000
	scripts/up.sh

test:            ## prepare the same and run the whole suite (SQLite and PostgreSQL)
	scripts/test.sh

check:           ## the inner loop, under a minute: lint, golden, unit and platform tests (no Docker, workers, browser, slow)
	scripts/check.sh

venv:            ## the virtualenv only
	scripts/venv.sh

image:           ## the sandbox image only (offline base via debootstrap)
	scripts/images.sh

gpu-image:       ## the GPU sandbox image for GPU workers (CUDA PyTorch + Triton wheels; not part of make test)
	scripts/gpu-image.sh

lint:            ## ruff (rules and formatting) and vulture (dead code)
	scripts/lint.sh

format:          ## apply ruff's formatting
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

check-exercises: ## prove every exercise through the sandbox
	TENSORDOJO_ENV=development .venv/bin/python manage.py exercises check

bench:           ## latency, throughput, soak, web load vs their floors; one table + bench/results/ (BENCH=--quick)
	scripts/bench.sh $(BENCH)

compose-test:    ## bring the docker compose stack up, grade one submission, take it down
	scripts/compose-smoke.sh

clean:           ## remove local state (database, caches, logs); keeps .venv and images
	rm -rf var
