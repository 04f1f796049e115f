"""Subcommands registered by name and imported when they run: `mercurios --help` imports none of them.

Every subcommand of `mercurios` names the module that implements it ("module:attribute", a command
function or a `typer.Typer` of subcommands) and carries its one-line help, which is all `--help`
shows. The module is imported only when the subcommand itself is invoked (or asked for its own
`--help`): `mercurios ask` imports the engine, never the API server, Slack, the LLM client or the
evaluation harness; `mercurios sl list-metrics` never imports SQLAlchemy. (Typer builds its click
commands eagerly from imported functions; `LazyCommand` stands in for one until it is needed.)

Packages above the CLI (evaluation) add subcommands through the `mercurios.cli` entry point: a
function that receives a `Registry` and registers by name in the same way, so neither side
imports the other's commands until one runs. Entry points are read only when a name is not a
built-in command, when `--help` lists the commands, or when a built-in group is opened (a plugin may
add a subcommand to it, like `index eval`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

ENTRY_POINT_GROUP = "mercurios.cli"


@dataclass(frozen=True)
class Lazy:
    """A subcommand by name: where it lives ("module:attribute") and its one-line help."""

    name: str
    target: str
    help: str
    under: tuple[str, ...] = ()  # the group path it belongs to ((): the top level)


@dataclass
class Registry:
    """The subcommands of `mercurios`, by group path; plugins add theirs with `add`."""

    entries: list[Lazy] = field(default_factory=list)
    plugins_loaded: bool = False
    _plugin_slot: int | None = None  # where plugins' top-level commands go in `--help`
    _inserting: int | None = None

    def add(self, name: str, target: str, help: str, *, under: tuple[str, ...] = ()) -> None:
        entry = Lazy(name, target, help, under)
        if not under and self._inserting is not None:
            self.entries.insert(self._inserting, entry)
            self._inserting += 1
        else:
            self.entries.append(entry)

    def plugins_here(self) -> None:
        """Plugins' top-level commands are listed at this point of `--help`."""
        self._plugin_slot = len(self.entries)

    def children(self, path: tuple[str, ...]) -> list[Lazy]:
        return [e for e in self.entries if e.under == path]

    def load_plugins(self) -> None:
        """Let each `mercurios.cli` entry point register its subcommands (once per process)."""
        if self.plugins_loaded:
            return
        self.plugins_loaded = True
        from importlib.metadata import entry_points

        self._inserting = self._plugin_slot
        try:
            for plugin in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
                plugin.load()(self)
        finally:
            self._inserting = None


def load_target(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


class LazyCommand(TyperCommand):
    """Stands in for a subcommand until it runs: its name and help for listings; the real command
    (imported, built by typer) as soon as a context is made for it."""

    def __init__(self, entry: Lazy, registry: Registry) -> None:
        super().__init__(entry.name, help=entry.help, short_help=entry.help)
        self.entry = entry
        self.registry = registry
        self._real: _click.Command | None = None

    def real(self) -> _click.Command:
        if self._real is None:
            self._real = _build(self.entry, self.registry)
        return self._real

    def make_context(
        self, info_name: str | None, args: list[str], parent: _click.Context | None = None, **extra: Any
    ) -> _click.Context:
        return self.real().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: _click.Context) -> Any:
        return self.real().invoke(ctx)


def _build(entry: Lazy, registry: Registry) -> _click.Command:
    """Import the entry's target and build its click command the way typer would have."""
    obj = load_target(entry.target)
    path = (*entry.under, entry.name)
    if isinstance(obj, typer.Typer):
        group = typer.main.get_group(obj)
        group.name = entry.name
        group.help = entry.help  # as `add_typer(help=…)` would: the registry's help is the group's
        registry.load_plugins()  # a plugin may add to this group (`index eval`)
        for child in registry.children(path):
            if isinstance(group, TyperGroup) and child.name not in group.commands:
                group.add_command(LazyCommand(child, registry))
        return group
    if not callable(obj):
        raise TypeError(f"{entry.target} is neither a command function nor a typer.Typer")
    single = typer.Typer(add_completion=False)
    single.command(entry.name)(obj)
    command = typer.main.get_command(single)
    command.name = entry.name
    return command


def lazy_group_class(registry: Registry) -> type[TyperGroup]:
    """The click group class of the top-level `mercurios` app, over `registry`."""

    class LazyGroup(TyperGroup):
        def __init__(self, **attrs: Any) -> None:
            super().__init__(**attrs)
            self.registry = registry
            self._stub_new_entries()

        def _stub_new_entries(self) -> None:
            for entry in self.registry.children(()):
                self.commands.setdefault(entry.name, LazyCommand(entry, self.registry))

        def list_commands(self, ctx: _click.Context) -> list[str]:
            self.registry.load_plugins()
            self._stub_new_entries()
            ordered = [e.name for e in self.registry.children(())]
            return [*ordered, *(n for n in self.commands if n not in ordered)]

        def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
            if cmd_name not in self.commands and not self.registry.plugins_loaded:
                self.registry.load_plugins()  # not a built-in: perhaps a plugin's
                self._stub_new_entries()
            return super().get_command(ctx, cmd_name)

    return LazyGroup
