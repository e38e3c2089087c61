from rest_framework import serializers

from accounts.models import Agent
from accounts.serializers import AgentSerializer, UserSummarySerializer

from .models import Attachment, Comment, SLAPolicy, Tag, Ticket


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug", "color"]
        read_only_fields = ["slug"]


class SLAPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = SLAPolicy
        fields = [
            "id",
            "name",
            "priority",
            "first_response_minutes",
            "resolution_minutes",
            "business_hours_only",
            "escalate_to_tier",
        ]


class CommentSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "is_internal", "created_at"]
        read_only_fields = ["created_at"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "created_at"]


class TicketSerializer(serializers.ModelSerializer):
    requester = UserSummarySerializer(read_only=True)
    assignee = AgentSerializer(read_only=True)
    tags = serializers.SlugRelatedField(slug_field="slug", queryset=Tag.objects.all(), many=True, required=False)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "reference",
            "subject",
            "description",
            "status",
            "priority",
            "channel",
            "requester",
            "assignee",
            "team",
            "tags",
            "escalation_level",
            "first_response_due_at",
            "resolution_due_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "reference",
            "channel",
            "team",
            "escalation_level",
            "first_response_due_at",
            "resolution_due_at",
        ]


class TicketDetailSerializer(TicketSerializer):
    comments = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = TicketSerializer.Meta.fields + ["comments", "attachments"]

    def get_comments(self, obj):
        request = self.context.get("request")
        comments = obj.comments.select_related("author")
        if request is not None and not hasattr(request.user, "agent"):
            comments = comments.filter(is_internal=False)
        return CommentSerializer(comments, many=True).data


class AssignSerializer(serializers.Serializer):
    agent = serializers.PrimaryKeyRelatedField(queryset=Agent.objects.filter(is_available=True))
    note = serializers.CharField(required=False, allow_blank=True)


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
