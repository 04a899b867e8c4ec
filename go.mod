module raftsandbox

go 1.26
