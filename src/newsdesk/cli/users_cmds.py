"""`newsdesk users add|list|set-role|disable|enable`: desk accounts."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from newsdesk.accounts import (
    InvalidUsername,
    UnknownRole,
    UserExists,
    UserNotFound,
    WeakPassword,
    create_user,
    get_user,
    list_users,
    set_disabled,
    set_role,
)
from newsdesk.cli._app import EXIT_USAGE, CLIError, app, console
from newsdesk.cli._app import open_session as _open_store_session
from newsdesk.store import Role, User

users_app = typer.Typer(
    help="Manage desk accounts (contributors edit, editors publish, admins manage).",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")


def open_session(ctx: typer.Context) -> AbstractContextManager[Session]:
    """A committing session on the configured store; account errors become CLIErrors.

    The input is wrong (bad username, weak password, unknown role): exit 2; the store refuses
    the request (unknown user, name taken): exit 1.
    """
    return _open_store_session(
        ctx, usage=(InvalidUsername, WeakPassword, UnknownRole), failed=(UserExists, UserNotFound)
    )


def describe_user(user: User) -> str:
    """One line naming an account: username, display name and role."""
    name = f" ({user.display_name})" if user.display_name else ""
    return f"{user.username}{name}, {user.role}"


def read_password(from_stdin: bool) -> str:
    """The new password: the first line of standard input, or typed twice at a hidden prompt."""
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def add_cmd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Sign-in name: 2-64 of a-z 0-9 _ . -")],
    role: Annotated[
        str, typer.Option("--role", "-r", help="contributor, editor or admin.")
    ] = Role.CONTRIBUTOR,
    name: Annotated[str, typer.Option("--name", "-n", help="Display name shown in the desk.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from the first line of standard input (for scripts).",
        ),
    ] = False,
) -> None:
    """Create a desk account; the password is typed twice at a hidden prompt.

    Scripts pipe it in with --password-stdin. Passwords need at least 10 characters.

    There is no --password flag: shell history and the process list would keep the value.

    Example: newsdesk users add alice --role editor --name "Alice Example"

    Example: echo "$PASSWORD" | newsdesk users add ci-bot -r contributor --password-stdin
    """
    password = read_password(password_stdin)
    with open_session(ctx) as s:
        line = describe_user(create_user(s, username, password, role, display_name=name))
    console.print(f"added {escape(line)}")


@users_app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """Show every desk account with its role and last sign-in.

    Example: newsdesk users list
    """
    with open_session(ctx) as s:
        users = list_users(s)
        table = Table(title=f"{len(users)} users")
        for column in ("username", "name", "role", "state", "created", "last sign-in"):
            table.add_column(column, overflow="fold")
        for user in users:
            table.add_row(
                escape(user.username),
                escape(user.display_name),
                user.role,
                "[yellow]disabled[/]" if user.disabled else "active",
                user.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                user.last_login_at.strftime("%Y-%m-%d %H:%M UTC")
                if user.last_login_at
                else "never",
            )
    console.print(table)


@users_app.command("set-role")
def set_role_cmd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The account to change.")],
    role: Annotated[str, typer.Argument(help="contributor, editor or admin.")],
) -> None:
    """Give an account another role (takes effect on its next desk request).

    Example: newsdesk users set-role alice admin
    """
    with open_session(ctx) as s:
        line = describe_user(set_role(s, username, role))
    console.print(f"updated {escape(line)}")


@users_app.command("disable")
def disable_cmd(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="The account to disable.")]
) -> None:
    """Stop an account from signing in (its open sessions end on their next request).

    Example: newsdesk users disable alice
    """
    with open_session(ctx) as s:
        line = describe_user(set_disabled(s, username, True))
    console.print(f"disabled {escape(line)}")


@users_app.command("enable")
def enable_cmd(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="The account to enable.")]
) -> None:
    """Let a disabled account sign in again.

    Example: newsdesk users enable alice
    """
    with open_session(ctx) as s:
        line = describe_user(set_disabled(s, username, False))
    console.print(f"enabled {escape(line)}")


@users_app.command("token")
def token_cmd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The account the token acts for.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "",
    role: Annotated[
        str | None,
        typer.Option("--role", help="contributor, editor or admin; at most the account's role."),
    ] = None,
) -> None:
    """Create an API token for the editor API; it is printed once and only its hash is kept.

    Example: newsdesk users token alice --name "wire desk script" --role editor
    """
    from newsdesk.accounts.tokens import DisabledAccount, TokenRoleTooHigh, create_api_token
    from newsdesk.accounts.tokens import UnknownRole as UnknownTokenRole

    with open_session(ctx) as s:
        user = get_user(s, username)
        try:
            token, plaintext = create_api_token(s, user, name, role or user.role)
        except (TokenRoleTooHigh, UnknownTokenRole, DisabledAccount) as exc:
            raise CLIError(str(exc), EXIT_USAGE) from exc
        token_id, token_role = token.id, token.role
    console.print(f"token {token_id} ({token_role}) for {escape(username)}; keep it now:")
    print(plaintext)


@users_app.command("revoke-token")
def revoke_token_cmd(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(help="The token's number (from `users token`).")],
) -> None:
    """Revoke an API token: requests with it are refused from now on.

    Example: newsdesk users revoke-token 3
    """
    from newsdesk.accounts.tokens import revoke_api_token

    with open_session(ctx) as s:
        if revoke_api_token(s, token_id) is None:
            raise CLIError(f"no API token {token_id}")
    console.print(f"token {token_id} revoked")
