/// Word lists and cast: the names, places and people a generated ledger is made of.
enum Catalog {
    static let nameFirst = ["Acme", "Northwind", "Blue Ridge", "Cedar", "Harbor", "Summit", "Pioneer", "Granite",
                            "Riverside", "Oakwood", "Silverline", "Redstone", "Evergreen", "Lakeshore", "Ironbridge",
                            "Maple", "Falcon", "Keystone", "Westfield", "Brightwater", "Copperleaf", "Highland",
                            "Sterling", "Meridian", "Crescent", "Atlas", "Beacon", "Prairie", "Coastal", "Union"]
    static let nameSecond = ["Foods", "Manufacturing", "Logistics", "Clinics", "Retail", "Supply", "Builders",
                             "Electric", "Hardware", "Textiles", "Pharma", "Hospitality", "Motors", "Plastics",
                             "Packaging", "Dental", "Farms", "Labs", "Outfitters", "Engineering"]
    static let nameSuffix = ["Inc.", "LLC", "Co.", "Corp.", "Group", "Ltd", "& Sons", "Partners"]
    static let streets = ["Main St", "Oak Ave", "Market St", "Industrial Pkwy", "Harbor Rd", "Elm St", "Commerce Dr",
                          "Lake Blvd", "River Rd", "Park Ave"]

    struct Place { let city: String; let region: String; let country: String; let currency: String; let phone: String }
    static let domestic: [Place] = [
        Place(city: "Chicago IL", region: "Central", country: "US", currency: "USD", phone: "+1 312"),
        Place(city: "Dallas TX", region: "South", country: "US", currency: "USD", phone: "+1 214"),
        Place(city: "Atlanta GA", region: "South", country: "US", currency: "USD", phone: "+1 404"),
        Place(city: "Boston MA", region: "East", country: "US", currency: "USD", phone: "+1 617"),
        Place(city: "New York NY", region: "East", country: "US", currency: "USD", phone: "+1 212"),
        Place(city: "Denver CO", region: "West", country: "US", currency: "USD", phone: "+1 303"),
        Place(city: "Seattle WA", region: "West", country: "US", currency: "USD", phone: "+1 206"),
        Place(city: "Minneapolis MN", region: "Central", country: "US", currency: "USD", phone: "+1 612"),
        Place(city: "Toronto ON", region: "East", country: "CA", currency: "USD", phone: "+1 416"),
    ]
    static let foreign: [Place] = [
        Place(city: "Berlin", region: "EMEA", country: "DE", currency: "EUR", phone: "+49 30"),
        Place(city: "Lyon", region: "EMEA", country: "FR", currency: "EUR", phone: "+33 4"),
        Place(city: "Manchester", region: "EMEA", country: "GB", currency: "GBP", phone: "+44 161"),
        Place(city: "Osaka", region: "APAC", country: "JP", currency: "JPY", phone: "+81 6"),
    ]

    /// Collectors own regions.
    static let collectors = ["Central": "Dana Whitfield", "South": "Luis Ortega", "East": "Grace Kim",
                             "West": "Omar Haddad", "EMEA": "Grace Kim", "APAC": "Omar Haddad"]
    /// System users: who bills, who posts cash, who approves.
    static let billingClerks = ["mruiz", "tbrooks", "akhan"]
    static let cashClerks = ["sjones", "jpark"]
    static let arManager = "lchen"
    /// Profiles other than the distributor: three approvers, a Saturday warehouse clerk, an
    /// automatic cash-application user, account managers who raise credits (never post cash).
    static let approvers = ["lchen", "rdiaz", "kowens"]
    static let weekendClerk = "ebaker"
    static let cashBot = "cashbot"
    static let accountManagers = ["Central": "dvance", "South": "mholt", "East": "nfarah",
                                  "West": "dvance", "EMEA": "nfarah", "APAC": "mholt"]
    /// Catalogue unit prices (major units) wholesale customers buy at.
    static let unitPrices: [Int64] = [25, 40, 50, 75, 100, 120, 150, 200, 250, 500]
    static let controller = "pwalsh"

    static let disputeReasons = ["pricing", "quantity", "damaged goods", "not received", "duplicate billing"]
    static let promiseNotes = ["Promised payment on call", "AP confirmed payment run date", "Will pay after approval",
                               "Promised to pay the balance"]
}
