-- wrk -s method.lua <url> -- HEAD|DELETE: the method for a pre-signed URL.
function init(args)
    wrk.method = args[1]
end
