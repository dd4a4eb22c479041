"""The Bourse projets and the professionals' accounts: the live part of the atlas.

* :mod:`.submission`: what a request is made of, its validation (form and process share it);
* :mod:`.workflow`: submission, the embassy's decisions, completion, audit trail;
* :mod:`.accounts`: roles, argon2 passwords, sessions and API tokens, ``coopatlas comptes``;
* :mod:`.edits`: the collectivities' updates of their projects and contacts;
* :mod:`.space`: personal spaces (named searches, maps, PDF exports);
* :mod:`.live`: the live database (var/live.sqlite or the ``coopatlas_live`` PostgreSQL schema);
* :mod:`.atlas`: the served atlas as the live features read and write it (GeoPackage or PostGIS);
* :mod:`.atlas_sync`: how live changes reach the served atlas, and are re-applied after a rebuild;
* :mod:`.mail`: the transactional outbox and SMTP delivery;
* :mod:`.geo`: countries, GeoNames places, the embassy directory;
* :mod:`.errors`: the errors every module may raise (answered with a 4xx by the web layer);
* :mod:`.web`: the Flask blueprint (pages, JSON API) and the guard in front of pygeoapi, which the server
  mounts (``coopatlas.server.app``); the Bourse imports nothing of the server.

See ``docs/bourse.md``.
"""
