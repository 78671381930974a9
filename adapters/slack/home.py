"""The App Home tab: the service's HomeData as a view, published with views.publish."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.views import FollowUp, HomeTexts, home_view
from bot.service import CoachService, HomeData


def view_of(data: HomeData) -> dict[str, object]:
    """HomeData → the Home tab view."""
    texts = HomeTexts(
        title=data.title,
        pending=data.pending_title,
        no_pending=data.no_pending,
        nudges=data.nudges_title,
        no_nudges=data.no_nudges,
        tips=data.tips_title,
    )
    items = [FollowUp(i.due, i.excerpt, i.permalink, i.buttons) for i in data.pending]
    return home_view(texts, items, data.nudges_by_category, data.tips, link_label=data.link_label)


async def publish_home(
    client: AsyncWebClient, service: CoachService, workspace: str, user: str
) -> None:
    """Build and publish one user's Home tab (raises on a Web API or storage error)."""
    data = service.home("slack", workspace, user)
    await client.views_publish(user_id=user, view=view_of(data))
