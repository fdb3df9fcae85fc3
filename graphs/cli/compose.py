"""``teamgraph compose``: a picture described, set as a brief, composed, rendered as a WAV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from graphs import compose
from graphs.cli.flags import add_run_flags, limits_from_flags, models_from_flags
from graphs.cli.help import HOME_ENV, MODEL_ENV, command
from graphs.registry import team_spec
from tools.kernel.errors import InputError


def add_parser(commands: Any) -> None:
    """Register the ``compose`` command."""
    parser = command(
        commands,
        "compose",
        description="A describer says what the picture holds (a vision model), or measures its "
        "pixels when no model can see it; a composer writes a musical brief from that; the "
        "brief is composed in code and rendered to a WAV file (and MIDI on request).",
        examples=[
            "teamgraph compose photo.jpg -o photo.wav",
            "teamgraph compose photo.jpg --describer-model openai:gpt-4o-mini --midi photo.mid",
        ],
        env={**MODEL_ENV, **HOME_ENV},
    )
    parser.add_argument("image", type=Path, help="the picture (PNG, JPEG, GIF, BMP, TIFF, WebP)")
    parser.add_argument(
        "-o", "--output", type=Path, help="the WAV file (default: the picture's name, .wav, here)"
    )
    parser.add_argument("--midi", type=Path, help="also write the score as this MIDI file")
    parser.add_argument(
        "--seconds",
        type=float,
        default=compose.DEFAULT_SECONDS,
        help=f"length of the piece (default {compose.DEFAULT_SECONDS:g})",
    )
    parser.add_argument("--seed", type=int, default=0, help="same brief and seed, same files")
    parser.add_argument(
        "--renderer",
        default="auto",
        help="auto (a SoundFont if installed, else synth), synth, soundfont or module:attribute",
    )
    parser.add_argument(
        "--describer-sees",
        choices=("auto", "yes", "no"),
        default="auto",
        help="send the picture to the describer's model: auto (its profile decides), yes, no",
    )
    add_run_flags(parser, compose.ROLES, "keep the run's checkpoints on this thread")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the compose team and print what was written; returns the exit status."""
    from graphs.cli.driver import Display, drive
    from graphs.compose.nodes import targets
    from graphs.threads.jobs import build_job
    from graphs.threads.locks import hold_thread
    from tools.music.renderers import check_renderer
    from tools.music.span import SECONDS_RANGE
    from tools.pictures.loading import open_picture

    shortest, longest = SECONDS_RANGE
    if not shortest <= args.seconds <= longest:
        raise InputError(f"--seconds must be from {shortest:g} to {longest:g}.")
    if args.seed < 0:
        raise InputError("--seed must be 0 or more.")
    open_picture(args.image)
    payload = {
        "image": str(args.image.absolute()),
        "output": str((args.output or Path(f"{args.image.stem}.wav")).absolute()),
        "midi": str(args.midi.absolute()) if args.midi else None,
    }
    targets(payload)
    check_renderer(args.renderer)
    models = models_from_flags(args, compose.ROLES)
    settings = {
        "seconds": args.seconds,
        "seed": args.seed,
        "renderer": args.renderer,
        "describer_sees": args.describer_sees,
        **limits_from_flags(args),
    }
    with hold_thread(args.thread):
        job = build_job(team_spec("compose"), models, settings, args.thread)
        return drive(job, payload, console, Display(args.json, args.quiet)).code
