"use strict";(()=>{var t=document.getElementById("console");t&&(t.textContent="The agent console is not built yet.");})();
