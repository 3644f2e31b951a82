from ilcs.cli import main

raise SystemExit(main())
