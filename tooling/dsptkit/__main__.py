from __future__ import annotations

from dsptkit.main import main

raise SystemExit(main())
