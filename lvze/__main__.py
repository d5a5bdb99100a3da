from lvze.cli import main

main()
