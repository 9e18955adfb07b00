"""Stored entities (dicts in Discord's JSON shape) to hikari objects, and hikari objects back to dicts.

``Decoder`` builds hikari's own entities with hikari's own entity factory (``app.entity_factory``) from
the Discord JSON the cache stores, so every object is exactly what hikari would have built from the
gateway payload. The stored JSON leaves out values equal to the schema's defaults (an absent
FlatBuffers field); ``_fill`` puts back the keys hikari's deserializers read with ``payload[...]``.

``Encoder`` is the inverse used by the cache's setters (``set_member(member)`` ...): a hikari object as
the Discord JSON the cache's setters take. Only the fields the cache stores are written.
"""

from __future__ import annotations

import datetime
import typing

from hikari import channels as channels_
from hikari import snowflakes
from hikari import undefined

if typing.TYPE_CHECKING:
    from hikari import emojis as emojis_
    from hikari import guilds as guilds_
    from hikari import invites as invites_
    from hikari import messages as messages_
    from hikari import presences as presences_
    from hikari import stickers as stickers_
    from hikari import traits
    from hikari import users as users_
    from hikari import voices as voices_

__all__ = ["Decoder", "Encoder"]

JSON = typing.Dict[str, typing.Any]

# Keys hikari reads with payload[...] and their value when the stored entity leaves them out (the schema
# default: false, 0, null or an empty list). One table per kind; nested objects have their own.
_ROLE = {"color": 0, "hoist": False, "position": 0, "permissions": "0", "managed": False, "mentionable": False}
_MEMBER = {"roles": [], "joined_at": None}
_USER = {"username": "", "discriminator": "0", "avatar": None}
_MY_USER = {"mfa_enabled": False, "locale": None, "flags": 0, "premium_type": None}
_CHANNEL = {"type": 0, "permission_overwrites": [], "position": 0, "topic": None, "nsfw": False, "rtc_region": None}
_OVERWRITE = {"allow": "0", "deny": "0", "type": 0}
_FORUM_TAG = {"emoji_id": None, "emoji_name": None, "moderated": False}
_THREAD = {"member_count": 0, "message_count": 0, "rate_limit_per_user": 0}
_THREAD_METADATA = {"archived": False, "locked": False, "auto_archive_duration": 0}
_EMOJI = {"roles": [], "require_colons": False, "managed": False, "available": False, "animated": False}
_STICKER = {"description": None, "tags": "", "available": False, "format_type": 1}
_INVITE = {"max_uses": 0, "max_age": 0, "uses": 0, "temporary": False}
_PRESENCE = {"activities": [], "client_status": {}}
_ACTIVITY = {"type": 0}
_VOICE_STATE = {"self_video": False, "suppress": False, "self_stream": False}
_MESSAGE = {
    "content": "",
    "tts": False,
    "pinned": False,
    "type": 0,
    "flags": 0,
    "mention_everyone": False,
    "mentions": [],
    "mention_roles": [],
    "attachments": [],
    "embeds": [],
    "edited_timestamp": None,
}
_GUILD = {
    "icon": None,
    "splash": None,
    "features": [],
    "afk_channel_id": None,
    "afk_timeout": 0,
    "verification_level": 0,
    "default_message_notifications": 0,
    "explicit_content_filter": 0,
    "mfa_level": 0,
    "application_id": None,
    "system_channel_id": None,
    "system_channel_flags": 0,
    "rules_channel_id": None,
    "vanity_url_code": None,
    "description": None,
    "banner": None,
    "premium_tier": 0,
    "preferred_locale": "en-US",
    "public_updates_channel_id": None,
    "nsfw_level": 0,
}


def _fill(payload: JSON, defaults: JSON) -> JSON:
    for key, value in defaults.items():
        if key not in payload:
            payload[key] = list(value) if isinstance(value, list) else value
    return payload


def _fill_user(payload: typing.Optional[JSON]) -> None:
    if payload is not None:
        _fill(payload, _USER)


def _fill_member(payload: JSON) -> JSON:
    _fill(payload, _MEMBER)
    _fill_user(payload.get("user"))
    return payload


def _fill_channel(payload: JSON) -> JSON:
    _fill(payload, _CHANNEL)
    for overwrite in payload["permission_overwrites"]:
        _fill(overwrite, _OVERWRITE)
    for tag in payload.get("available_tags") or ():
        _fill(tag, _FORUM_TAG)
    return payload


def _fill_thread(payload: JSON) -> JSON:
    _fill(payload, _THREAD)
    if (metadata := payload.get("thread_metadata")) is not None:
        _fill(metadata, _THREAD_METADATA)
    return payload


def _fill_message(payload: JSON) -> JSON:
    _fill(payload, _MESSAGE)
    _fill_user(payload.get("author"))
    for user in payload["mentions"]:
        _fill_user(user)
    if (member := payload.get("member")) is not None:
        _fill(member, _MEMBER)
    if (parent := payload.get("referenced_message")) is not None:
        _fill_message(parent)
    return payload


class Decoder:
    """Stored dicts to hikari entities, built by ``app.entity_factory`` and bound to ``app``.

    The dicts passed in are consumed (defaults are filled in place).
    """

    __slots__ = ("_app", "_ef", "_no_user")

    def __init__(self, app: traits.EntityFactoryAware) -> None:
        self._app = app
        self._ef = app.entity_factory
        self._no_user = snowflakes.Snowflake(0)

    def guild(self, payload: JSON) -> guilds_.GatewayGuild:
        _fill(payload, _GUILD)
        # The guild object only: the sub-lists of a gateway guild live in their own stores.
        return self._ef.deserialize_gateway_guild(payload, user_id=self._no_user).guild()

    def guild_channel(self, payload: JSON) -> channels_.PermissibleGuildChannel:
        channel = self._ef.deserialize_channel(_fill_channel(payload))
        assert isinstance(channel, channels_.PermissibleGuildChannel)
        return channel

    def thread(self, payload: JSON) -> channels_.GuildThreadChannel:
        return self._ef.deserialize_guild_thread(_fill_thread(payload))

    def role(self, payload: JSON) -> guilds_.Role:
        _fill(payload, _ROLE)
        return self._ef.deserialize_role(payload, guild_id=snowflakes.Snowflake(payload["guild_id"]))

    def emoji(self, payload: JSON) -> emojis_.KnownCustomEmoji:
        _fill(payload, _EMOJI)
        _fill_user(payload.get("user"))
        return self._ef.deserialize_known_custom_emoji(payload, guild_id=snowflakes.Snowflake(payload["guild_id"]))

    def sticker(self, payload: JSON) -> stickers_.GuildSticker:
        _fill(payload, _STICKER)
        _fill_user(payload.get("user"))
        return self._ef.deserialize_guild_sticker(payload)

    def invite(self, payload: JSON) -> invites_.InviteWithMetadata:
        _fill(payload, _INVITE)
        _fill_user(payload.get("inviter"))
        _fill_user(payload.get("target_user"))
        if (app_id := payload.pop("target_application_id", None)) is not None:
            # Only the id is stored; hikari's cache keeps the whole application object.
            payload["target_application"] = {"id": app_id, "name": "", "description": "", "icon": None}
        return self._ef.deserialize_invite_with_metadata(payload)

    def member(self, payload: JSON) -> guilds_.Member:
        return self._ef.deserialize_member(_fill_member(payload))

    def user(self, payload: JSON) -> users_.User:
        return self._ef.deserialize_user(_fill(payload, _USER))

    def me(self, payload: JSON) -> users_.OwnUser:
        _fill(payload, _USER)
        return self._ef.deserialize_my_user(_fill(payload, _MY_USER))

    def presence(self, payload: JSON) -> presences_.MemberPresence:
        _fill(payload, _PRESENCE)
        for activity in payload["activities"]:
            _fill(activity, _ACTIVITY)
        return self._ef.deserialize_member_presence(payload)

    def voice_state(self, payload: JSON) -> voices_.VoiceState:
        _fill(payload, _VOICE_STATE)
        if (member := payload.get("member")) is not None:
            _fill_member(member)
        return self._ef.deserialize_voice_state(payload)

    def message(self, payload: JSON) -> messages_.Message:
        return self._ef.deserialize_message(_fill_message(payload))

    @staticmethod
    def dm_channel_id(payload: JSON) -> snowflakes.Snowflake:
        return snowflakes.Snowflake(payload["channel_id"])


# ---- hikari objects -> dicts ----------------------------------------------------------------------------


def _sf(value: typing.Optional[int]) -> typing.Optional[str]:
    return None if value is None else str(int(value))


def _ts(value: typing.Optional[datetime.datetime]) -> typing.Optional[str]:
    return None if value is None else value.isoformat()


def _undef(value: typing.Any) -> typing.Any:  # noqa: ANN401 - any attribute value
    return None if value is undefined.UNDEFINED else value


def _decoration(decoration: typing.Any) -> typing.Optional[JSON]:  # noqa: ANN401
    if decoration is None:
        return None
    return {"asset": decoration.asset_hash, "sku_id": _sf(decoration.sku_id)}


class Encoder:
    """hikari entities to the dicts the cache's setters take."""

    __slots__ = ()

    def user(self, user: users_.PartialUser) -> JSON:
        primary = getattr(user, "primary_guild", None)
        return {
            "id": _sf(user.id),
            "username": _undef(user.username),
            "discriminator": _undef(user.discriminator),
            "global_name": _undef(user.global_name),
            "avatar": _undef(user.avatar_hash),
            "bot": bool(_undef(user.is_bot)),
            "system": bool(_undef(user.is_system)),
            "public_flags": int(_undef(user.flags) or 0),
            "banner": _undef(getattr(user, "banner_hash", None)),
            "accent_color": None if _undef(getattr(user, "accent_color", None)) is None else int(user.accent_color),
            "avatar_decoration_data": _decoration(_undef(getattr(user, "avatar_decoration", None))),
            "primary_guild": None
            if primary is None
            else {
                "identity_guild_id": _sf(primary.identity_guild_id),
                "identity_enabled": primary.identity_enabled,
                "tag": primary.tag,
                "badge": primary.badge_hash,
            },
        }

    def me(self, user: users_.OwnUser) -> JSON:
        payload = self.user(user)
        payload.update(
            {
                "mfa_enabled": user.is_mfa_enabled,
                "locale": None if user.locale is None else str(user.locale),
                "verified": user.is_verified,
                "email": user.email,
                "premium_type": None if user.premium_type is None else int(user.premium_type),
                "flags": int(user.flags),
            }
        )
        return payload

    def member(self, member: guilds_.Member) -> JSON:
        return {
            "guild_id": _sf(member.guild_id),
            "user": self.user(member.user),
            "nick": member.nickname,
            "avatar": member.guild_avatar_hash,
            "banner": member.guild_banner_hash,
            "roles": [_sf(r) for r in member.role_ids],
            "joined_at": _ts(member.joined_at),
            "premium_since": _ts(member.premium_since),
            "deaf": _undef(member.is_deaf),
            "mute": _undef(member.is_mute),
            "pending": _undef(member.is_pending),
            "flags": int(member.guild_flags),
            "communication_disabled_until": _ts(member.raw_communication_disabled_until),
            "avatar_decoration_data": _decoration(member.guild_avatar_decoration),
        }

    def guild(self, guild: guilds_.GatewayGuild) -> JSON:
        incidents = guild.incidents
        return {
            "id": _sf(guild.id),
            "name": guild.name,
            "icon": guild.icon_hash,
            "owner_id": _sf(guild.owner_id),
            "member_count": guild.member_count,
            "large": guild.is_large,
            "joined_at": _ts(guild.joined_at),
            "features": [str(f) for f in guild.features],
            "afk_channel_id": _sf(guild.afk_channel_id),
            "afk_timeout": int(guild.afk_timeout.total_seconds()),
            "verification_level": int(guild.verification_level),
            "default_message_notifications": int(guild.default_message_notifications),
            "explicit_content_filter": int(guild.explicit_content_filter),
            "mfa_level": int(guild.mfa_level),
            "application_id": _sf(guild.application_id),
            "widget_enabled": guild.is_widget_enabled,
            "widget_channel_id": _sf(guild.widget_channel_id),
            "system_channel_id": _sf(guild.system_channel_id),
            "system_channel_flags": int(guild.system_channel_flags),
            "rules_channel_id": _sf(guild.rules_channel_id),
            "max_video_channel_users": guild.max_video_channel_users,
            "vanity_url_code": guild.vanity_url_code,
            "description": guild.description,
            "banner": guild.banner_hash,
            "splash": guild.splash_hash,
            "discovery_splash": guild.discovery_splash_hash,
            "premium_tier": int(guild.premium_tier),
            "premium_subscription_count": guild.premium_subscription_count,
            "preferred_locale": str(guild.preferred_locale),
            "public_updates_channel_id": _sf(guild.public_updates_channel_id),
            "nsfw_level": int(guild.nsfw_level),
            "incidents_data": None
            if incidents is None
            else {
                "invites_disabled_until": _ts(incidents.invites_disabled_until),
                "dms_disabled_until": _ts(incidents.dms_disabled_until),
                "dm_spam_detected_at": _ts(incidents.dm_spam_detected_at),
                "raid_detected_at": _ts(incidents.raid_detected_at),
            },
        }

    def guild_channel(self, channel: channels_.PermissibleGuildChannel) -> JSON:
        payload: JSON = {
            "id": _sf(channel.id),
            "guild_id": _sf(channel.guild_id),
            "type": int(channel.type),
            "name": channel.name,
            "position": channel.position,
            "parent_id": _sf(channel.parent_id),
            "permission_overwrites": [
                {"id": _sf(o.id), "type": int(o.type), "allow": _sf(o.allow), "deny": _sf(o.deny)}
                for o in channel.permission_overwrites.values()
            ],
            "nsfw": channel.is_nsfw,
            "flags": int(channel.flags),
            "application_id": _sf(getattr(channel, "application_id", None)),
        }
        for attr, key in (("topic", "topic"), ("rate_limit_per_user", "rate_limit_per_user")):
            if hasattr(channel, attr):
                value = getattr(channel, attr)
                payload[key] = int(value.total_seconds()) if isinstance(value, datetime.timedelta) else value
        if hasattr(channel, "last_message_id"):
            payload["last_message_id"] = _sf(channel.last_message_id)
        if hasattr(channel, "last_thread_id"):
            payload["last_message_id"] = _sf(channel.last_thread_id)
        if hasattr(channel, "last_pin_timestamp"):
            payload["last_pin_timestamp"] = _ts(channel.last_pin_timestamp)
        if hasattr(channel, "bitrate"):
            payload["bitrate"] = channel.bitrate
            payload["user_limit"] = channel.user_limit
            payload["rtc_region"] = channel.region
        if hasattr(channel, "video_quality_mode"):
            payload["video_quality_mode"] = int(channel.video_quality_mode)
        if hasattr(channel, "default_auto_archive_duration"):
            payload["default_auto_archive_duration"] = int(channel.default_auto_archive_duration.total_seconds() // 60)
        if hasattr(channel, "available_tags"):
            payload["available_tags"] = [
                {
                    "id": _sf(t.id),
                    "name": t.name,
                    "moderated": t.moderated,
                    "emoji_id": _sf(t.emoji_id),
                    "emoji_name": None if t.unicode_emoji is None else str(t.unicode_emoji),
                }
                for t in channel.available_tags
            ]
            payload["default_sort_order"] = int(channel.default_sort_order)
            if hasattr(channel, "default_layout"):
                payload["default_forum_layout"] = int(channel.default_layout)
            payload["default_thread_rate_limit_per_user"] = int(
                channel.default_thread_rate_limit_per_user.total_seconds()
            )
            emoji_id, emoji_name = channel.default_reaction_emoji_id, channel.default_reaction_emoji_name
            if emoji_id is not None or emoji_name is not None:
                payload["default_reaction_emoji"] = {
                    "emoji_id": _sf(emoji_id),
                    "emoji_name": None if emoji_name is None else str(emoji_name),
                }
        return payload

    def thread(self, thread: channels_.GuildThreadChannel) -> JSON:
        metadata = thread.metadata
        payload: JSON = {
            "id": _sf(thread.id),
            "guild_id": _sf(thread.guild_id),
            "parent_id": _sf(thread.parent_id),
            "owner_id": _sf(thread.owner_id),
            "type": int(thread.type),
            "name": thread.name,
            "last_message_id": _sf(thread.last_message_id),
            "rate_limit_per_user": int(thread.rate_limit_per_user.total_seconds()),
            "message_count": thread.approximate_message_count,
            "member_count": thread.approximate_member_count,
            "thread_metadata": {
                "archived": metadata.is_archived,
                "archive_timestamp": _ts(metadata.archive_timestamp),
                "auto_archive_duration": int(metadata.auto_archive_duration.total_seconds() // 60),
                "locked": metadata.is_locked,
                "invitable": metadata.is_invitable,
                "create_timestamp": _ts(metadata.created_at),
            },
            "last_pin_timestamp": _ts(thread.last_pin_timestamp),
            "application_id": _sf(thread.application_id),
        }
        if thread.member is not None:
            payload["member"] = {
                "join_timestamp": _ts(thread.member.joined_at),
                "flags": int(thread.member.flags),
                "id": _sf(thread.member.thread_id),
                "user_id": _sf(thread.member.user_id),
            }
        if hasattr(thread, "applied_tag_ids"):
            payload["applied_tags"] = [_sf(t) for t in thread.applied_tag_ids]
        if hasattr(thread, "flags"):
            payload["flags"] = int(thread.flags)
        return payload

    def role(self, role: guilds_.Role) -> JSON:
        tags: JSON = {
            "bot_id": _sf(role.bot_id),
            "integration_id": _sf(role.integration_id),
            "subscription_listing_id": _sf(role.subscription_listing_id),
        }
        # Discord's flags: the key (with null) means true.
        if role.is_premium_subscriber_role:
            tags["premium_subscriber"] = None
        if role.is_available_for_purchase:
            tags["available_for_purchase"] = None
        if role.is_guild_linked_role:
            tags["guild_connections"] = None
        colors = role.colors
        return {
            "id": _sf(role.id),
            "guild_id": _sf(role.guild_id),
            "name": role.name,
            "color": int(role.color),
            "hoist": role.is_hoisted,
            "icon": role.icon_hash,
            "unicode_emoji": None if role.unicode_emoji is None else str(role.unicode_emoji),
            "position": role.position,
            "permissions": str(int(role.permissions)),
            "managed": role.is_managed,
            "mentionable": role.is_mentionable,
            "tags": tags,
            "colors": None
            if colors is None
            else {
                "primary_color": int(colors.primary_color),
                "secondary_color": None if colors.secondary_color is None else int(colors.secondary_color),
                "tertiary_color": None if colors.tertiary_color is None else int(colors.tertiary_color),
            },
        }

    def emoji(self, emoji: emojis_.KnownCustomEmoji) -> JSON:
        return {
            "id": _sf(emoji.id),
            "guild_id": _sf(emoji.guild_id),
            "name": emoji.name,
            "roles": [_sf(r) for r in emoji.role_ids],
            "user": None if emoji.user is None else self.user(emoji.user),
            "require_colons": emoji.is_colons_required,
            "managed": emoji.is_managed,
            "animated": emoji.is_animated,
            "available": emoji.is_available,
        }

    def sticker(self, sticker: stickers_.GuildSticker) -> JSON:
        return {
            "id": _sf(sticker.id),
            "guild_id": _sf(sticker.guild_id),
            "name": sticker.name,
            "description": sticker.description,
            "tags": sticker.tag,
            "type": int(sticker.type),
            "format_type": int(sticker.format_type),
            "available": sticker.is_available,
            "user": None if sticker.user is None else self.user(sticker.user),
        }

    def invite(self, invite: invites_.InviteWithMetadata) -> JSON:
        return {
            "code": invite.code,
            "type": int(invite.type),
            "guild_id": _sf(invite.guild_id),
            "channel_id": _sf(invite.channel_id),
            "inviter": None if invite.inviter is None else self.user(invite.inviter),
            "target_type": None if invite.target_type is None else int(invite.target_type),
            "target_user": None if invite.target_user is None else self.user(invite.target_user),
            "target_application_id": None if invite.target_application is None else _sf(invite.target_application.id),
            "uses": invite.uses,
            "max_uses": invite.max_uses or 0,
            "max_age": 0 if invite.max_age is None else int(invite.max_age.total_seconds()),
            "temporary": invite.is_temporary,
            "created_at": _ts(invite.created_at),
            "expires_at": _ts(invite.expires_at),
            "flags": int(invite.flags or 0),
        }

    def presence(self, presence: presences_.MemberPresence) -> JSON:
        status = presence.client_status
        return {
            "guild_id": _sf(presence.guild_id),
            "user": {"id": _sf(presence.user_id)},
            "status": str(presence.visible_status),
            "activities": [self._activity(a) for a in presence.activities],
            "client_status": {
                key: str(value)
                for key, value in (("desktop", status.desktop), ("mobile", status.mobile), ("web", status.web))
                if str(value) != "offline"
            },
        }

    def _activity(self, activity: presences_.RichActivity) -> JSON:
        def ms(value: typing.Optional[datetime.datetime]) -> typing.Optional[int]:
            return None if value is None else int(value.timestamp() * 1000)

        emoji = activity.emoji
        payload: JSON = {
            "name": activity.name,
            "type": int(activity.type),
            "url": activity.url,
            "created_at": ms(activity.created_at),
            "application_id": _sf(activity.application_id),
            "details": activity.details,
            "state": activity.state,
            "instance": activity.is_instance,
            "flags": int(activity.flags or 0),
            "buttons": list(activity.buttons),
        }
        if activity.timestamps is not None:
            payload["timestamps"] = {"start": ms(activity.timestamps.start), "end": ms(activity.timestamps.end)}
        if emoji is not None:
            custom_id = getattr(emoji, "id", None)
            payload["emoji"] = {
                "name": emoji.name,
                "id": _sf(custom_id),
                "animated": bool(getattr(emoji, "is_animated", False)),
            }
        if activity.party is not None:
            party = activity.party
            size = [] if party.current_size is None else [party.current_size, party.max_size]
            payload["party"] = {"id": party.id, "size": size}
        if activity.assets is not None:
            assets = activity.assets
            payload["assets"] = {
                "large_image": assets.large_image,
                "large_text": assets.large_text,
                "small_image": assets.small_image,
                "small_text": assets.small_text,
            }
        if activity.secrets is not None:
            secrets = activity.secrets
            payload["secrets"] = {"join": secrets.join, "spectate": secrets.spectate, "match": secrets.match}
        return payload

    def voice_state(self, state: voices_.VoiceState) -> JSON:
        return {
            "guild_id": _sf(state.guild_id),
            "channel_id": _sf(state.channel_id),
            "user_id": _sf(state.user_id),
            "member": None if state.member is None else self.member(state.member),
            "session_id": state.session_id,
            "deaf": state.is_guild_deafened,
            "mute": state.is_guild_muted,
            "self_deaf": state.is_self_deafened,
            "self_mute": state.is_self_muted,
            "self_stream": state.is_streaming,
            "self_video": state.is_video_enabled,
            "suppress": state.is_suppressed,
            "request_to_speak_timestamp": _ts(state.requested_to_speak_at),
        }

    def message(self, message: messages_.PartialMessage) -> JSON:
        """A message (or, for update_message, a partial one: UNDEFINED fields are left out)."""
        payload: JSON = {"id": _sf(message.id), "channel_id": _sf(message.channel_id)}

        def put(key: str, value: typing.Any, convert: typing.Callable[[typing.Any], typing.Any] = lambda v: v) -> None:  # noqa: ANN401
            if value is not undefined.UNDEFINED:
                payload[key] = None if value is None else convert(value)

        put("guild_id", message.guild_id, _sf)
        put("author", message.author, self.user)
        put("member", message.member, self._message_member)
        put("content", message.content)
        put("timestamp", message.timestamp, _ts)
        put("edited_timestamp", message.edited_timestamp, _ts)
        put("tts", getattr(message, "is_tts", undefined.UNDEFINED))
        put("mention_everyone", message.mentions_everyone)
        put("mentions", message.user_mentions, lambda m: [self.user(u) for u in m.values()])
        put("mention_roles", message.role_mention_ids, lambda r: [_sf(i) for i in r])
        put(
            "mention_channels",
            message.channel_mentions,
            lambda m: [
                {"id": _sf(c.id), "guild_id": _sf(getattr(c, "guild_id", None)), "type": int(c.type), "name": c.name}
                for c in m.values()
            ],
        )
        put("attachments", message.attachments, lambda a: [self._attachment(x) for x in a])
        put("embeds", message.embeds, lambda e: [self._embed(x) for x in e])
        put("pinned", message.is_pinned)
        put("webhook_id", message.webhook_id, _sf)
        put("type", message.type, int)
        put("application_id", message.application_id, _sf)
        put(
            "message_reference",
            message.message_reference,
            lambda r: {
                "type": int(r.type),
                "message_id": _sf(r.id),
                "channel_id": _sf(r.channel_id),
                "guild_id": _sf(r.guild_id),
            },
        )
        put("referenced_message", message.referenced_message, self.message)
        put("flags", message.flags, int)
        put(
            "sticker_items",
            message.stickers,
            lambda s: [{"id": _sf(x.id), "name": x.name, "format_type": int(x.format_type)} for x in s],
        )
        put("nonce", message.nonce)
        return payload

    def _message_member(self, member: typing.Any) -> JSON:  # noqa: ANN401 - guilds.Member
        payload = self.member(member)
        payload.pop("user", None)  # a message's member carries no user: the author is the user
        return payload

    @staticmethod
    def _attachment(a: typing.Any) -> JSON:  # noqa: ANN401 - messages.Attachment
        return {
            "id": _sf(a.id),
            "filename": a.filename,
            "title": getattr(a, "title", None),
            "description": a.description,
            "content_type": a.media_type,
            "size": a.size,
            "url": a.url,
            "proxy_url": a.proxy_url,
            "height": a.height,
            "width": a.width,
            "ephemeral": a.is_ephemeral,
            "duration_secs": a.duration,
            "waveform": a.waveform,
        }

    @staticmethod
    def _embed(e: typing.Any) -> JSON:  # noqa: ANN401 - embeds.Embed
        def media(m: typing.Any) -> typing.Optional[JSON]:  # noqa: ANN401
            if m is None:
                return None
            return {
                "url": m.url,
                "width": getattr(m, "width", None),
                "height": getattr(m, "height", None),
                "proxy_url": getattr(getattr(m, "proxy_resource", None), "url", None),
            }

        return {
            "title": e.title,
            "type": "rich",
            "description": e.description,
            "url": e.url,
            "timestamp": _ts(e.timestamp),
            "color": None if e.color is None else int(e.color),
            "footer": None
            if e.footer is None
            else {"text": e.footer.text, "icon_url": None if e.footer.icon is None else e.footer.icon.url},
            "image": media(e.image),
            "thumbnail": media(e.thumbnail),
            "video": media(e.video),
            "provider": None if e.provider is None else {"name": e.provider.name, "url": e.provider.url},
            "author": None
            if e.author is None
            else {
                "name": e.author.name,
                "url": e.author.url,
                "icon_url": None if e.author.icon is None else e.author.icon.url,
            },
            "fields": [{"name": f.name, "value": f.value, "inline": f.is_inline} for f in e.fields],
        }
