from rest_framework import serializers

from .models import Agent, Team, User


class UserSummarySerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "email", "display_name", "role"]


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "slug", "tier", "email"]


class AgentSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    team = TeamSerializer(read_only=True)
    open_ticket_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agent
        fields = ["id", "user", "team", "tier", "is_available", "open_ticket_count", "last_seen_at"]
