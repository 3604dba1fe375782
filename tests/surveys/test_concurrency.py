"""Two submits of one survey link at the same moment, on real concurrent connections.

On PostgreSQL the conditional UPDATE (… WHERE NOT answered) of the second waits for the first's
row lock and, once the first commits, finds the invitee answered and changes no row, so its
transaction writes nothing. SQLite serialises whole transactions instead (tests/kpis/
test_concurrency.py checks that it is configured so), and its in-memory test database cannot be
shared between threads, so these run on PostgreSQL only.
"""

import pytest
from django.db import connection
from django.test import Client

from surveys import services
from surveys.models import Comment, Invitee, Rating, Response
from tests.kpis.test_concurrency import run_together
from tests.surveys.conftest import answers, reply_path

ON_POSTGRESQL = connection.vendor == "postgresql"

if ON_POSTGRESQL:  # real row locks and real concurrent connections: see the module docstring

    @pytest.fixture
    def slow_after_claim(monkeypatch):
        """Hold each transaction open a moment after its UPDATE, so the two really overlap."""
        import time

        original = services.online_label

        def slow():
            time.sleep(0.5)
            return original()

        monkeypatch.setattr(services, "online_label", slow)

    @pytest.mark.django_db(transaction=True)
    def test_two_simultaneous_submits_store_exactly_one_response(
        live_survey, invited, slow_after_claim
    ):
        path = reply_path(invited["ada@locality.example"])

        def submit(score, text):
            data = answers(
                live_survey, Business_intelligence=score, Procurement=5, Medicines_management=6
            )
            return lambda: Client().post(path, {**data, "improve": text}).status_code

        results = run_together(submit(9, "first tab"), submit(2, "second tab"))

        assert sorted(results) == [302, 409], results
        (response,) = Response.objects.filter(survey=live_survey)
        assert Rating.objects.filter(response__survey=live_survey).count() == 3
        (comment,) = Comment.objects.filter(survey=live_survey)
        winner = 9 if comment.text == "first tab" else 2
        assert response.ratings.get(item__name="Business intelligence").score == winner
        assert Invitee.objects.get(email="ada@locality.example").answered

    @pytest.mark.django_db(transaction=True)
    def test_the_service_refuses_the_later_of_two_simultaneous_replies(
        live_survey, invited, slow_after_claim
    ):
        from surveys.models import SurveyEmail

        def reply():
            link = SurveyEmail.objects.select_related("invitee__survey__year").get(
                invitee__email="ben@locality.example"
            )
            scores = dict.fromkeys(live_survey.items.values_list("pk", flat=True), 7)
            services.record_response(link=link, answers=scores, comment="")
            return "saved"

        results = run_together(reply, reply)

        # The service has no check of its own before the UPDATE: the refusal is the database's.
        assert sorted(type(r).__name__ for r in results) == ["AlreadyAnswered", "str"], results
        assert Response.objects.filter(survey=live_survey).count() == 1
        assert Rating.objects.filter(response__survey=live_survey).count() == 3
