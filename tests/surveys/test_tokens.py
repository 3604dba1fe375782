"""Survey links' tokens: 256 random bits, stored as SHA-256, anything else refused alike."""

import hashlib

from surveys import tokens


def test_a_token_is_43_url_safe_characters_and_each_is_new():
    made = {tokens.make_token()[0] for _ in range(200)}
    assert len(made) == 200
    assert all(len(token) == 43 and tokens.well_formed(token) for token in made)


def test_the_stored_form_is_the_tokens_sha256():
    token, digest = tokens.make_token()
    assert digest == hashlib.sha256(token.encode()).hexdigest() == tokens.hash_token(token)
    assert token not in digest


def test_verify_takes_only_the_token_the_hash_was_made_from():
    token, digest = tokens.make_token()
    assert tokens.verify(token, digest)
    assert not tokens.verify(tokens.make_token()[0], digest)
    assert not tokens.verify(token[:-1], digest)
    assert not tokens.verify(digest, digest)


def test_nothing_but_a_whole_token_is_looked_up():
    token, digest = tokens.make_token()
    assert tokens.lookup_hash(token) == digest
    for bad in (token[:42], token + "A", token[:-1] + "!", "", " " + token[1:], token.upper()[:42]):
        assert tokens.lookup_hash(bad) is None
