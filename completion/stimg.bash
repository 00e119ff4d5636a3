# bash completion for stimg: commands, options, option values (CRC
# algorithms for --crc and --algo, formats for -O and -I, the choices of
# --overlap, --endian, ...) and file names.
#
# The candidates come from stimg itself: `stimg --complete WORD...` reads
# the same option tables as the parser and --help, so this file never
# changes when an option does. make install puts it in
# share/bash-completion/completions/stimg; to try it from the tree:
#
#   source completion/stimg.bash
#
# zsh can use it too:
#
#   autoload -U +X bashcompinit && bashcompinit
#   source completion/stimg.bash

_stimg()
{
	local IFS=$'\n'

	# the words after "stimg" up to the one being completed; no
	# candidates means file names (complete -o default)
	COMPREPLY=($("${COMP_WORDS[0]}" --complete \
		"${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}

complete -o default -F _stimg stimg
