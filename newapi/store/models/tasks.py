"""Asynchronous jobs: New API's ``tasks`` (Suno, video) and ``midjourneys`` tables.

``midjourneys.submit_time/start_time/finish_time`` are Unix milliseconds; ``tasks`` times are
Unix seconds. ``tasks.private_data`` holds upstream secrets and is never returned to a client.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

__all__ = ["Midjourney", "Task"]


class Task(Model):
    id = fields.BigIntField(primary_key=True)
    created_at = fields.BigIntField(default=0, db_default=0)
    updated_at = fields.BigIntField(default=0, db_default=0)
    task_id = fields.CharField(max_length=191, default="", db_default="")
    platform = fields.CharField(max_length=30, default="", db_default="")
    user_id = fields.IntField(default=0, db_default=0)
    group = fields.CharField(max_length=50, default="", db_default="")
    channel_id = fields.IntField(default=0, db_default=0)
    quota = fields.BigIntField(default=0, db_default=0)
    action = fields.CharField(max_length=40, default="", db_default="")
    status = fields.CharField(max_length=20, default="", db_default="")
    fail_reason = fields.TextField(null=True)
    submit_time = fields.BigIntField(default=0, db_default=0)
    start_time = fields.BigIntField(default=0, db_default=0)
    finish_time = fields.BigIntField(default=0, db_default=0)
    progress = fields.CharField(max_length=20, default="", db_default="")
    properties = fields.JSONField(null=True)
    private_data = fields.JSONField(null=True)
    data = fields.JSONField(null=True)

    class Meta:
        table = "tasks"
        table_description = "Asynchronous tasks (Suno, video)"
        indexes = (
            Index(fields=("created_at",), name="idx_tasks_created_at"),
            Index(fields=("task_id",), name="idx_tasks_task_id"),
            Index(fields=("platform",), name="idx_tasks_platform"),
            Index(fields=("user_id",), name="idx_tasks_user_id"),
            Index(fields=("channel_id",), name="idx_tasks_channel_id"),
            Index(fields=("action",), name="idx_tasks_action"),
            Index(fields=("status",), name="idx_tasks_status"),
            Index(fields=("submit_time",), name="idx_tasks_submit_time"),
            Index(fields=("start_time",), name="idx_tasks_start_time"),
            Index(fields=("finish_time",), name="idx_tasks_finish_time"),
            Index(fields=("progress",), name="idx_tasks_progress"),
        )


class Midjourney(Model):
    id = fields.IntField(primary_key=True)
    code = fields.IntField(default=0, db_default=0)
    user_id = fields.IntField(default=0, db_default=0)
    action = fields.CharField(max_length=40, default="", db_default="")
    mj_id = fields.CharField(max_length=191, default="", db_default="")
    prompt = fields.TextField(null=True)
    prompt_en = fields.TextField(null=True)
    description = fields.TextField(null=True)
    state = fields.TextField(null=True)
    submit_time = fields.BigIntField(default=0, db_default=0)
    start_time = fields.BigIntField(default=0, db_default=0)
    finish_time = fields.BigIntField(default=0, db_default=0)
    image_url = fields.TextField(null=True)
    video_url = fields.TextField(null=True)
    video_urls = fields.TextField(null=True)
    status = fields.CharField(max_length=20, default="", db_default="")
    progress = fields.CharField(max_length=30, default="", db_default="")
    fail_reason = fields.TextField(null=True)
    channel_id = fields.IntField(default=0, db_default=0)
    quota = fields.BigIntField(default=0, db_default=0)
    buttons = fields.TextField(null=True)
    properties = fields.TextField(null=True)

    class Meta:
        table = "midjourneys"
        table_description = "Midjourney-proxy jobs"
        indexes = (
            Index(fields=("user_id",), name="idx_midjourneys_user_id"),
            Index(fields=("action",), name="idx_midjourneys_action"),
            Index(fields=("mj_id",), name="idx_midjourneys_mj_id"),
            Index(fields=("submit_time",), name="idx_midjourneys_submit_time"),
            Index(fields=("start_time",), name="idx_midjourneys_start_time"),
            Index(fields=("finish_time",), name="idx_midjourneys_finish_time"),
            Index(fields=("status",), name="idx_midjourneys_status"),
            Index(fields=("progress",), name="idx_midjourneys_progress"),
        )
