# bookvoice — the two commands a user needs are `make demo` and `make test`.
#
#   make setup    system packages (espeak-ng, ffmpeg), model assets, release build; idempotent
#   make assets   Kokoro model, voices, vocabulary, ONNX Runtime and the Japanese dictionary into
#                 models/ (checksummed)
#   make demo     setup, then list the sample book's chapters, convert it into out/lamplighters-almanac.m4b
#                 and speak a passage into out/demo.wav
#   make test     setup, then every test
#   make bench    setup and the Python reference, then the standard comparison against kokoro-onnx
#                 on the same text: three kinds of real text from ../shared/corpus (BENCH_KINDS: a
#                 prose chapter, a verse section, a dialogue chapter), each in BENCH_REPEAT pairs of
#                 runs alternating which side goes first, with the median ratio; then a memory soak.
#                 The files are kept in out/bench/KIND (see BENCHMARKS.md)
#   make bench-wer word error rate of both on out/bench's chapters (each kind's first pair), with ../shared/tools/asr;
#                 in English the mean of four takes with Whisper's windows shifted (WER_SHIFTS=0 for one)
#                 (BENCH_LANGUAGE=it for another language; WER_FLAGS=--vad for long chapters)
#   make bench-wer-clips the same chapters heard as the harness asks, in clips of up to 25 s cut at
#                 their paragraph and stanza pauses (bookvoice's captions say where), the reference
#                 speaking each clip's text on its own (scripts/wer_clips.py)
#   make wer-normalization  Whisper's word error rate on English passages dense in numbers,
#                 dates, money and units (scripts/normalization_passages)
#   make bench-lang a passage in each of es, fr, it, pt-br, hi spoken by bookvoice and by the
#                 reference, scored with ../shared/tools/asr (word error rate and the
#                 language Whisper hears); the files are kept in out/bench-lang
#   make bench-mastering  chapters of the sample book and two real books mastered three ways:
#                 loudness, true peak, spread, joins and cost (out/bench-mastering)
#   make lint     rustfmt and clippy, as CI runs them

SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/bookvoice
SYSTEM_PACKAGES := espeak-ng ffmpeg

.PHONY: setup system-packages assets build demo test bench bench-wer bench-wer-clips bench-lang bench-mastering wer-normalization reference lint sample-book clean

CORPUS ?= ../shared/corpus
BENCH_KINDS ?= prose=$(CORPUS)/idpf_moby-dick.epub:68 verse=$(CORPUS)/idpf_wasteland.epub:2 \
  dialogue=$(CORPUS)/idpf_moby-dick.epub:127
BENCH_REPEAT ?= 3
BENCH_OUT ?= out/bench
BENCH_LANG_OUT ?= out/bench-lang
BENCH_MASTERING_OUT ?= out/bench-mastering
BENCH_MASTERING_BOOKS ?= sample-books/lamplighters-almanac.epub \
  ../shared/corpus/idpf_wasteland.epub:2,3,5 ../shared/corpus/epubjs_alice-in-wonderland.epub:4,5
BENCH_LANGS ?= es,fr,it,pt-br,hi,ja,zh
# The Whisper harness of ../shared/tools/asr, set up with its setup.sh into ASR_DIR.
ASR_DIR ?= ../asr
export WER_PYTHON ?= $(ASR_DIR)/venv/bin/python
export WER_WHISPER_MODEL ?= $(ASR_DIR)/models/whisper-base-ct2
SOAK_CHUNKS ?= 60
# The kernel's own accounting of the whole run, where GNU time is installed.
TIME := $(shell [ -x /usr/bin/time ] && echo '/usr/bin/time -f "kernel: peak RSS %M KB, wall %e s"')

setup: system-packages assets build

system-packages:
	@missing=""; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	command -v ffmpeg >/dev/null || missing="$$missing ffmpeg"; \
	if [ -z "$$missing" ]; then echo "setup: system packages are installed"; exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "setup: please install:$$missing (with your system's package manager), then rerun make"; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
	else echo "setup: missing:$$missing. Run this, then rerun make:"; \
	     echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; fi; \
	echo "setup: installing$$missing"; \
	$$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing

assets:
	@bash scripts/assets.sh

build:
	$(CARGO) build --release --locked

demo: setup
	@mkdir -p out
	$(BIN) chapters sample-books/lamplighters-almanac.epub
	$(BIN) convert sample-books/lamplighters-almanac.epub -o out
	$(BIN) say -f sample-books/src/demo.txt -o out/demo.wav
	@echo "demo: read out/lamplighters-almanac.bookvoice/script/, listen to out/lamplighters-almanac.m4b and out/demo.wav"

test: setup
	$(CARGO) test --release --locked

# The Python reference (kokoro-onnx 0.6.1) that `bench --compare-reference` runs.
reference:
	@bash scripts/reference/setup.sh .venv-reference

bench: setup reference
	$(TIME) bash scripts/bench_kinds.sh $(BIN) $(BENCH_OUT) $(BENCH_REPEAT) $(BENCH_KINDS)
	$(BIN) bench --soak $(SOAK_CHUNKS)

bench-wer:
	@# With --repeat 1 a kind's files are in its own folder; with more, in pair-1, pair-2…
	@for k in $(BENCH_OUT)/*/; do d=$${k%/}; [ -d $$d/pair-1 ] && d=$$d/pair-1; [ -d $$d/text ] || continue; \
	  echo "== $$d"; bash scripts/bench_wer.sh $$d $(BENCH_LANGUAGE); done

bench-wer-clips:
	@# The same chapters heard a clip of up to 25 s at a time, cut at their own pauses.
	@for k in $(BENCH_OUT)/*/; do d=$${k%/}; [ -d $$d/pair-1 ] && d=$$d/pair-1; [ -d $$d/text ] || continue; \
	  echo "== $$d"; bash scripts/bench_wer_clips.sh $$d; done

wer-normalization: setup
	@bash scripts/wer_normalization.sh $(BIN)

bench-lang: setup
	@bash scripts/reference/setup.sh .venv-reference cjk
	rm -rf $(BENCH_LANG_OUT)
	$(BIN) bench --languages $(BENCH_LANGS) --compare-reference --device cpu --out $(BENCH_LANG_OUT)
	@bash scripts/bench_lang_wer.sh $(BENCH_LANG_OUT)

# Loudness, joins and cost of mastering on the sample book and two real books. The first run
# speaks the chapters (about 20 minutes on a 2-core CPU); later runs reuse the speech.
bench-mastering: setup
	$(BIN) bench --mastering $(BENCH_MASTERING_BOOKS) --device cpu --out $(BENCH_MASTERING_OUT)

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings

# Rebuild the committed sample EPUB from its sources.
sample-book:
	python3 sample-books/src/make_epub.py

clean:
	rm -rf out target
