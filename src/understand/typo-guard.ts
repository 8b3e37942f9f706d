/**
 * Ordinary French and English words that are one or two letters away from a place name
 * ("cours" / Tours, "maison" / Maison-Alfort?). They are never read as a misspelt place.
 * Generated from the Debian word lists (wfrench, wamerican) against the typo-tolerant names
 * of place-index.ts; space-separated, folded.
 */
const LIST = `
abbes abbevillien ablata ablaze ables ablest abois abolis abonne abord abreast abries abris abscond abscons accoua accueil aceres acerons aches
achetes acheves acieres actinique adheres advert aeras aerat aerent aerons affres agences agenouille agnelasse agraines agres agresse ahanas aiche
aidat aieux aigres ailes aille aillerent aimes airas airlines aisee aisle aisselles alaire albeit alentisse alert alerta alias aliens aligne alita
allaite allas allee aller allers alles alleu alleux alley allez alliages alliaire alliant allias allonges allouable allouasse alunat amber ambles
amende amers amibes amies amphis amplis ampuls amuis ancres andin anemiasse angels anger anges anglers angon anhelasse animes annal annelasse
annelasses annexasse annexasses annotasse annoy annulasse antes antonym antre antres aorte aoute aposte appuis aprement apron aquitain arbors arbres
archanges archeennes arconne ardent ardues areage areas arenas argas argent argente argentee argenter argenterie argentes argenteur argentiers
argenture argiliere argon argousins arias ariennes arille armas arment armon arome arpege arpent arpenteras arrangees array arrays arrhes arson
arsouillas arsouille aryennes aspireront assai assaut assert asset assit astre astres atours attaches attigeat aubain aubains aubere aubes aubier
aubiers aubois auboise augers aunais aunes aurae aurai aurais aural auras autan autre autumn avalanches aveline avenantes averames averees averes
averses avert avoid avoua axles ayons babas babes baches badas badee badent bader bades badez badges badin bagad bagel bagels bagnard bagnes bagnole
bagues baies baignais bailla baille bailleur bailli baillon baisas baisse baisserons baisseront baissieres bakes balade balai balaie balais balancais
balane balata balaye bales baleze balla ballas ballet ballonnes balms balmy balois balsa balzan bandas bande banderille bandy banes banlon bannat
barba barbe barbent barbera barberai barberas barberez barbes barbs barbu bardeaux bares barest baronne barra barreaux barrie basas bases bassets
bassin bassins basson bassons basta bastai bastilles batailles batard batas bates batoilles batonne batten bauges bavai bavais bavant bavard bavas
bavat baves baveux bavons bayat bayes bazar bazars beagles beaute beautician beauvaisien beauvaisin becques bedon bedouin beech begat beigne beions
bejaune belat belee beles belges beliers belle belled belles bellottes belly belons benin benis benne bennes beons berate berca bercat berce bercee
beret berges berna bernai bernais bernas bernat bernee bernois berry besieges besogneux besoin bessonne beton bettor beugles beurrames beurrates
beurre beverages biche bicheront bidonville biens biere bieres bievre bigles bijoutiers bilan billebaude billee biller billera billerent billerez
billete billettes billion billon billot billow binard bisse bissel bisserons bisseront bistres bitch bitched bitches bitchy blade blair blaira blama
blame blare blase blaze bleme blese blesse blest bleue blindas blobs blocs blogs blots blousse blows blufferont boars bodes boesse boeuf boire boisat
boiserons boiseront boissons boitiers boives boles bombas bombez bonbon bonda bonde bondees bondes bondi bondies bondon bonds bones boney bongo
bonnettes bonny boons boraine bordel bordelais bordellos borderais boreaux bores borin bornant bornas bornee borner bornes bornez borsch bosse
bosselage bosselles bosserons bosseront botes bottelles bouchai bouchais bouchait bouchames boucherais boucheras boucheres boucherons bouchez
bouderont boudin boues bouffe boufferent boufferons boufferont bouffiront bougerais bouges bougonnais bougres bouif bouille bouloir bouloirs
bouquinais bourbes bourdes bourgeonne bourgognes bourgs bourrages bourres bourrette bourse bourses boursiere bouscueil bouse bouses bousiller bousin
bouteiller bouvillon bovin bowel boxes boyaux brace brades braie brained brainy braire braise braite bramat brandebourg brandille branles brassieres
breach breast breche bredouilla bredouille bredouillee bredouiller bredouilles bredouillez breech brefs brelan brele brelles breme bresillat bresillee
bresillent bresiller bresilles bresillet bresillez bressan breuvages breve breviaires breviaries brews briar briard briarde briars bridas brief brier
briguais brine brins brodons brome broods brooks brooms brossieres brouillai brouillais brouillas brouillat brouillee brouillent brouiller brouilles
brouillez brouillon browns broyat broyons brucelles bruies bruin bruine brules brumat brumes brunes bruns brutes bucha buche buchees bucheras bucherez
buchers bugles burgs burns buron burps burros burrs bushy busse button cabanees cabasset cabbies cabestan cabestans cablais cablas cablasse cabling
cabosse cabrasse cabrees cabres cabriez cacha cachai cachant cachas cachat caches cadet cages caget cagey cagna cagne cagnes cagneux cahiers cahots
caillas cailles caillettes cailloux cairn caisse caissieres caisson calai calait calanches calandres calas calasse caliers calisson calissons calla
callers calling calls callus calma calmais calmant calmar calmas calment calmi calmis calmissons calmons caltais caltas calva calvas calve calville
calvilles camais camasse cambais cambasse cambers cambons cambrousse camer camion camons campagnes campagnol campagnols campers canais canal canas
canasse canat canches candi candie candiras candle candy caned canee canees canent caner canes canez caniche canines cannas cannat canne canned cannee
cannees cannelasse cannelles canner cannez cannois canny canoe canoes canon canot canotes cantals canton cantonnai cantonnas cantonnat canut caoua
capais capasse capon caponne capron captal carabines caravan caravanes carbon carbone carcel carde carderais cardes carding careneras cares caret
cargos caries caring carlin carline carlingues carlins carmes carmin carnage carnal carne carnes carnet caroling carollers carom caroms caroubles
carpelles carpenters carpentry carpes carping carra carras carrelles carres carrieres carries carrons carrosse carrot carrots carry cartas carte
cartes carting cartonne carving casais casaniere casanieres casasse casiers caskets cassat casse cassee casser casses cassez castel castels casters
castes castines castrees castriez casuel caudal cauris cavais cavalieres cavasse caverne cavet cayeux cedee ceder ceding cedons cedrat ceigne
ceignisse celais cellas celons cendres censieres centrames cepes cerat cerces cerna cernai cernas cernat cerne cernee cernons cervelles cessa cessas
cessiez cession cessons cestes chablons chabots chainas chainiers chainon chalet chamber chambers chambrettes chambrieres chameliers chamelles
champagnes champagnise champenois champignon champions chancelai chancelais chancelait chancelames chancelant chancelante chancelas chancelasse
chancelat chancelates chancelee chancelle chanfreine chansonna chansonnai chansonnas chansonnat chantas chanteaux chanteriez chanters chanteuse
chantiers chantonna chantonnai chantonnais chantonnait chantonnant chantonnas chantonnat chantonne chantonnee chantonner chantonnes chantonnez
chantres chants chapelait chapelant chapelat chapelieres chapelles chaponna chaponnai chaponnais chaponnait chaponnant chaponnas chaponnat chaponne
chaponnee chaponner chaponnes chaponnez chapons charbonne charbons charges charily charmilles charnelles charniere charniers charognes charolais
charpentas charpente charpenteras charretees charrette charrettes charters chartes chartrain chartreuses chary chasserai chasseras chassie chassies
chassieux chassiez chataigne chaton chatonna chatonnai chatonnais chatonnait chatonnant chatonnas chatonnat chatonnee chatonner chatonnes chatonnez
chatons chatterie chaud chaumant chaument chaumons chauvines chauvions check cheery cheesy chene cherent cheres cherons cherrerai cherreras cherry
chers chess chevaine chevaines chevalees chevalieres chevalines chevesnes chevilla chevra chevrasse chevre chevretee chevretes chevrette chevreuil
chevronnes chewy chiais chiant chicaniere chicon chicons chiens chignoles chignon chinas chino chinons chinos chiton choler chomera chomerai chomeras
choques chores ciboire ciboule cillas cille cillerent cimes cingles cirons ciste civet claie claim clair claire clairon clairs clamait clamant clamat
clameca clamece clamors clande clapira clean clearance clementines clergy clever clicha cliche clisse clissons clung clunk clunky clxix coach coarse
cobras cochere cocherent cocheres cocherez cocon cocotiers codes cogent cognes coiffe coite cokes collantes collar collas collectes colleges colles
colletates colletees collettes collons colloques colon colonelles colonizers coloriees coloriera colorieras combines comes comices comings comites
commentai commentary commentas commentat commented commentee commenter commentera commentes commentez commerca commerce commettra commettre communal
compas compo comprenne comprit comte cones conges conne connerie connes connetable connetables connetablie conquiere conquieres conquiers conseilla
conseilles consolees consolent consolons contamine contender contorsion contras controuve convolees convolent convolons copes copines copse copte
coquelets coquetees coquettes coquillas coquillee coquillees coquiller coquilles coquillez corbin cordas corde cordeaux cordelais cordelait cordelees
cordelette cordelles corderais corderait cores corne corneilles cornerais corneront corniches corny corolles corons corpse correlais correle corsa
corsas corsee corsent corser corserais corses corset corsetais corsez cortex cosse cotes cotte couchames coucherais coucheras coucherons couchez
couderais couderont coudras coudriers couille couillon couillons couines coulaient coulantes coulasses coulions coulons country coupantes coupelles
couplings couplons coupon courantes courbas courbettes courettes courges courgettes courras courriels courriers coursa coursai coursant coursas
coursat course coursiers courte courtesan courtiere courtieres courtiers courtisais courtisans courtisas courtisees courtises courtisions courtisons
courtly couse coutantes coutas coutasses coute coutelier couteras couturas couturieres couvert couvres coven coves cozen cozens cozies cracha crache
craches crack crailles cramat cramponne cranas crane craquelles crash craton crayon crayonne creas creel cremier cremieres cremiez creons crepin crept
cresson cretin creux crevent criaille crias cries crinieres crissee crisser crisses crissez crone crony croon croons crossa crossai crossas crossat
crosse crouillat croules croup croupy croustilles crues cubais cubasse cueillettes cuestas cuirs cuisse cuisson cuivreuse culais curas curling curons
curse cussed cusses cuveau cylindres dallas dalle damer damiers dance dandy darces darling darne darnes daubais daubiere daubs deals decamp decauville
decay decha deche decheville dechire dechu decide decile decime declin decoulant decouplant decoy decry dedain deforest degoupille dehouille delestat
delie dells delve demain demene demoulions demoulons denoncees dentin depalisse depouille derailles derny derouillas derouille descanted descentes
desecrates desencartes desertames desertates desertees desertiez deserting desertions desertiques desertons desirates desires dessert dessertes
desserties dessertimes dessertites dessinasse destinasse detailler detain determines detournai detournas detournat devers devez devin dieux digon
dimes dinai dinant dinar dinars dinas dinat dismay disse dissous divan divin dodges dolomie domain domaine domine domines donataire dongles donnas
donne donner donnera donnes dormais dormancy dormant dormants dorme dormons dossard dosse douas doubt doubts douchames doucherais doucheras doucherons
douchez doues douille douvain douzaine douzaines douze doves dozes draine drame drennes dries drole drone drope drove drubs duces duchy ducks ducts
early ebranches ecaillais ecaillait ecalais echantillon echaulais echelette echelles echenillais echine echues eclaira ecoulant ecourtant ecoutille
ecrire ecrouees ecroues ecrouies ecroulant ecroules ecroutes ecrues egaillais egailles egoutiers eleven elevens eloges elopes elves emaillais emaux
embringues emeutiers emions emouchames emoulions encloitra encloitre encloitree encloitrer encloitres encloitrez endeuille enflammes engoulions
engoulons enliant enquieres enrouillas ensevelie ensevelir ensevelis ensevelit entamames entractes entraides entraines entrames entrances entrantes
entrasses entravames entravees entremimes envers epaule epaules eperon eperonnas eperonne epina epinai epinas epinat epinca epine eployes epode eponge
eponte epontilla epontille epouillas epouille epouillee epouiller epouilles epouillez eprouves equilles eraillais erras erree erres escarcelles escha
eschai eschas eschat essieu estuaires etales etapes etiers etiolees etioles etouffant etoupes etoupille etrillais etrilles etron etudes etuves euros
eveillais evens events evinca fabriques faches faience faille falcon fancy fanges fanton farces farcisses fartas faseilles fatten faucherais faucheras
faucherons faucilles faunes fayotte fears feaux feigne feignes feigniez feignimes feignis feignisse feignites femurs fenaison fence fende fendu fenian
feral ferez ferle fermantes fermi ferons ferrailles ferres ferreux ferric ferus fervent fessieres feting feuds feues feutrages fevers fevrier fiames
ficheront fieres fiers fievre fievres fievreuse figea figeai figeas figeat filiere fillers fillettes fillings filmes fimes financieres finasserais
finishers finissure fions firme firmes firming firms fishes fisse fisses flack flagrance flaira flans flavine fleas fleau flechates flees flets fleur
fleura fleurasse fleuri fleuronne fleurs fliers fling flocon floury flowing flyers flying foiras foire follettes follicules foncieres fondantes
fonderies fondues foras forcerie forgo forjettes forlonges formant formelles formeriez forte fossettes fouettant fouges fouille fouiras fouissant
foulas foulon fourbas fourbies fourbues fourcherais fourcheras fourcherons fourgonne fourgues fourmis fourniere fournieres fournies fourras fourriere
fourrieres fourriers foutras fracs frags fraie fraise fraisees fraises franc francaise frange franges frank franks frats frays freines freins frelon
frenes freon fretent fretillons frets freux fries frisses frocard frogs froisses froles frontons froues fulgurance fumai fumas fumat fumed fumee fumer
fumerolles fumes fumet fumez fuseau fusel gaches gagas gages gagna gagnat gagne gagnes gaies gainat gaines gainieres galbais galeux galion gallon
galon gambas gambes gamer ganaches ganged gangs gangues gannet gansat ganses ganta gantat gantes gantieres garancees garanceras garancerez garanciere
garas garces gardas gassing gassy gauche gauches gauchi gaucho gauges gaule gauze gavel gazas gaziers geigne geignisse gelas gelds geles gelons gelose
genai genais gendres genera generai general generas generat generic genois gentille gerat gerbat gercat gerent geres germat gerons geste gestes
gestuel gibet gilet gille gillion gindre girond girondes gironds gironne gisons given gives givra givrant givre givres glaira glandas glane gloire
godron gomines gommeuse gonfalon gonfanon gonfleur gonzesse gorse gospel gosse goudron gouille goupillon goura gouras gourdin gourmettes gourou
gousset gouverne govern grabat grabs grace grade grades grads graillon graine grains graisses grams grande grandest grandness grands grange grant
grants grape grapevines grappille grass grate gravat grave graveling gravels grays graze grebes grees grelon grena grenage grenai grenaille grenaison
grenas grenat grene grenouilla grenouille grenouillee grenouiller grenouilles grenouillez grevent grids grief griefs grigna grignais grigne grignotes
grils grimat grimes grins gripes grips grise grises grits groans groie groin grolles gronde groseilles grouillai grouillais grouillas grouillat
grouilles gruges guadeloupeen guenon guepard gueres guerrilla guiches guichet guide guided guidee guider guides guidez guigne guignee guignent guigner
guignez guignon guilders guillon guindes guinea guineas guinee guinees guipes guises gusset haches hadal hagard haillon haines haisse haisses halais
handy hangers hanta hantes harangues harcelees harcelles hardes hardie hardy hares harle harness harpent harpes harry hellion helplines hence henne
henniront heraut herberie herein hernies heroic heroin heron herons hersee hisse hivernantes hones honteux horse houille hourderont housse houssee
houssent housser housses houssez houssines hoyaux hydres hyenes iambes ibere ideaux ileaux ileon imperieux imply indue indure ingere inguinale
injurieux insere instiller intailler inure itere jacheres jacot jambais jambes jambon jante jantes jargon jarre jaspinasse jassat jaunes javel javele
javelin jayet jingles joigne jonques jonquilles joual jours joyaux juill killers kouros krach laboure labouree laboures labours laches lacune laden
ladres lagon laiche laimargue lainas lainieres laisse laitieres laiton lamantin lambin lambrisse lamenting lamer lamers lamiers lampassee lanca lancas
lanceur landais landau landaus lande landed lands langages langea langeai langeas langeat langees langes langues langueur languidly languirai
languiras languisse lapalissade lapinasse larches larda lardas larde lards largues larma larva larval lascar lassat lasting latta laura laurais lauras
laures lauze lavai lavas lavat laveur lavra layat layettes layonne leavens lecon lecture legal legua leguer lentille lesinasse lesinasses lessivasse
lesson lestas letal letton leucite leurre leurs levai levas levat levees level levels levent levers levez levons levrier levron lezarde liars
licheront lieux lievre lievres lignas lignes ligue liguee ligule ligure lilas limages limai liman limat limes limoge limogea limogeas limogee limogees
limoger limogez limonent limones limousina limousine limousins liners lines links linos lints lions liras lisere lisse lissier lissiez litas livens
livery lobez logees logent loges logon loirs lombes londres longues lorgnes loris lorrain lorraines lorrains lorries lorry louange louchames
loucherais loucheras loucherons louchez loura louras lourd loure loures lousy loutres louvees louvers louves louvred loves loyaux luire lumbers lunee
lunes lurches lures luron lutrin luxurieux macaw maceres macha macherent macherez maches macing macle macron macule madly mages maillage maillant
maillon mains maint maintenant maintenez maintenions maintenir maintenons maintenue maintenus makers making malais malignant malingres mallard malle
mallet mallettes maman mamans mancelles mandas mandataire mande mangers manges mangeure maniat manierees manieres manly manne mannequin mannes manoque
manor mantes mantillas mantiques manuel maple marais marble march marche mardi mardis maree maremme margaille marge margelles margent marginale
marginant marginiez marguerite marguerites marient marinades marinages marinames marinates marine marinier mariniere marinieres mariniers marins maris
marisques marli marlin marmaille marmotter marmottiez marna marnage marnai marnant marnas marnat marnee marnent marner marnez marotte marra marras
marrent marrie marron marry marseillais marte marteau martiales martiennes marvelous marxiennes masers masquer massa masse massieres mastiques matcha
matche maths mating matisse matron mauled mauls maures maussade mauve maxing mayen meduse megere melanger melasse melee melisse mellah melon melos
menade menage menas mended mender mendie mends meneau menee menes mense mente menue merde meringuas meringuee meringuees meringuer meringues meringuez
merlan merle merleau merriment merveille mesange mesanges mesquin messer messers messily mesuse metaux metered metiers meting mettra mettrai mettras
meule meulon meunieres meure meurs meute meuve miaule miche mielle miennes miens mieux mievre mievres mille miller millers million mimat mimed mimee
miment mimer mimes mimez mimons minas minet mingles ministere ministered ministeres ministers minoennes minons mirames mireront mirons misere misereux
misons misse missel mitons mixons modale moelle moinillon moins moirais moirant moiras moirons moisat moissons molle mollettes monde monetaire
monnaieras monnaierez montagnard montagnes montaison montanisme montaniste monterais monterait monteriez monterons monteront monteur monteurs
monthlies montra montrable montre montrerons montreront montreurs montreuse montueux moons morailles moraillon moraine morainique morceau morcelees
morcelles mordance mordant mordillas mordillee mordillees mordiller mordilles mordillez moreau morelle morelles morfier morgues morne mornes morns
morse morte mortelles mortier morutiers mossy motteux mouchages mouchames mouchards mouchates moucherais moucheras moucherons mouchez mouille
mouillons moule moulieres mouse moussa moussai moussaillon moussant moussas moussat mousseron mousy moutier moves moyenne muions muons muries muros
muselle musquer mussel mussy mysterieux nacelle nacelles nagent naisse naitre names nanny nanties nantis narcisses narra narras narrasse nattes
nattieres naturelles naval navel nefle neons nepalaise nestle neufchatel neuron never neves neveu niames niche nicheront niees nille nimbes ninas
nines nions nippe nites nixes noient noire noisier noisy nomes nonne nopent normand normande normandes normands notent nouent nouille nouilles
nouvelles novent novez noway noyat noyaux noyons nucelle nucelles nuons nylons oberai oberat objet oblat occitane occitanes oculaires oeillettes
oeuvrames oeuvrates offenders oignes oigniez oignimes oignis oignites oille oindre oiseau ollaire ondees oozes operon opting oranges orbes orchids
orchis ordres organs orgeat orgues orient orlon ormille ornais ornant ornas ornee orner ornez ornons orphies orras orseilles orvet oserent ossue ossus
otais ouille ourles outing outrances outras ouvreau ouvres ouvrieres oyons pages paiennes paillon pairs paisse palais palan paliers palis palissante
palissonne pallet palliat palma palmiers palsy pamer pampers pandas pangolins paniers pannat pansy pantie panting pantins pantoise papiers parades
parados paradox parais paras parcellas parcelled parcellee parcellees parceller parcelles parcellez parches parcs pardon pareilles pares parfis paria
parias parie paries parish parks parle parles paroi parois parons paros parrain parry parsi parson partis parts parurieres parus parvis passat passe
pastries pasty patai patas patat patin patis patissiere patissieres patissiers paton patron patrouillas patsy patty paumiers payat peaux pecule
peignasse peigne peignisse pelerin pelle pelletates pelletees pellettes pence pendillon penon pepin pepon percantes percerette perches perdantes
perenne peries perils peris perliers perlon perone perot perron persilles person personne personnel personnes pertes pervenches pervers peson pesse
pestas peton petreux petrins peureux peurs pharillon phone phones piaille pians piaule picarde pierrerent pierrette pierreux pieux piffres pignon
pignons pilet pillars pille pillerent pillion pinard pinca pined pines pingre pinnes pinot pinte pionnes pions pipelette pires pisse plain plainte
plaintes plaira planta planton please plein pleurante pleuve pleuvent pleuviner plisse plombeur plombez ployes pluchates plumerait plumerent plumeront
plumet plumeur plusse pluviner poesy poilat pointilla pointille poire poiriers poise poissa poissat poisse poisserons poisseront poivrieres polissonne
pollsters polluat polyesters pommerent pommerez pompas pompe pompee pomper pompes pompeuse pompez pompieres pondues pontiers pontilla pontillai
pontillas pontillat porcelets porcines porte portees portents porters portieres portiers posat posse poste postiches postiers poteaux potiers
poudriere poudrieres poudriers pouffe poufferont pouillot poule pouliches pouls pourpoint pourridies pourrimes pourriras pourrirez pourrisses
pourrites pourritures pours poussa poussah poussai poussant poussas poussat pousse poussieres poussin pralines prates prechates premieres prenantes
preneuse prennes pressante presse presses prestes prets preux prevent prides pries prisat prissy protets prouva prouve provigner prudes puceaux
pugnace puines puisat pureaux pussy queen quenouille quilla quillai quillant quillas quillat quillon quimpe quimpee quimpera quimperai quimperas
quimperez quimperiez quimpes quimpez quines quintaine rabais rabantees rabantent rabantons rabattent rabattons racees races rachis racismes racles
rades radines radon rages raidillon raille raine rains raises ralais ralentisse rales ralingues rallas rallonges ramat ramer ramiers ramille ranches
randy rangers ranges rangy rashes rateliers ratiers ravelin ravin rayat rayonne reaches reading reais realignat reams reaux rebatis rebats rebelles
rebouille reches recusse redan redent redente redoing redone redusse refais reforest refouille refoulions refoulons regisse regles reglettes regnantes
regnes reines reins relais religieux relusse remis remiseront remoulais remoulant remoulent remouliez remoulions remoulons remoulues renais renale
rename rende rendes rending renege renes rengage renies renne rennet renoncees renouvelle renquille rentes rentiers rentrames repais repusse resais
reseau resin resinasse respirasse ressac ressert resserve resserves resservez resservie restas result resusse retiens retirement retireront retires
retourna retournage retournai retournais retournait retournant retournas retournat retournee retourner retournes retournez reuse revais revent revers
revery revez revins revint revirement revireront revis revit rhumeries rhumeriez riais rials riant riante riantes riants richement riches riding riens
rieur rieuses rillettes rimaille rimes rinca rincent ripaille risse river rivera rivers rivet rivetates roaches roans robais robas robat robin robions
rocheront rodat rognai rognas rognat rognonnas rognons romaine roman romane ronce ronchon rondelles ronfleur ronges rooms rosat roseau rosies rosse
rotat rouais rouan rouanne rouant rouas rouat rouee rouent rouer rouera roues rougies rouies rouilla rouillai rouillais rouillas rouillat rouillons
rouira roula roumaines rouons roupies roupillas roupillon rouses rousse roussies roussiller roussin roussit rousties roustons routa routiers rouvieux
roves royal royans royaux rubeoles rubles rucheront ruches ruelles ruffed rugies rugine rugis ruiles ruines rules rumbas rungs ruons russet rustines
saber sableux sabras saches sacome sacras safer safran safre sager sages saignasse saigneux saille saine salais salarie salat saler saleur salope
sanas sandy saner sanguine sanguines sanie santal sante santon sanve sanves sapat saper sarcelle saris sarrau sarraus sarraux sassat satan satay
saucais saucas saucat saucates sauce saule saulees saumon saumura saumure saune saunes saupiquet sauras sauris saurs sautelles sautilles sauvageon
sauvageons sauveteur sauveteurs sauvignon sauvignons saver savoir savonneux scande scare scarves scier scone seance seaux secousse seillons selectat
selle sellettes semas semblance semblances sement semer semoncees senat senats senau sends senne sennes sentis septieme septime sequelles serac serais
seras serene serest serge sergent seriel serielles serient serier serin seringues serment sermon serons seront serpent serrais serran serras serre
serrement serrent serreront sertis servantes servent servis servo servons servos seulettes sevens severement severs sevra sevrant sevras sevrat
sevrent sevrer sevrerent sevrerons sevreront sevrien sevriez shone shufflers siennes since sinistree slain slalome sociaux soignasse solaire solders
soldiers solvers sommaires sommiers somniferes songes sonna sonnai sonnas sonnat sonne sonnettes sonnez sorcieres sorry sorte soubrettes souche
souches souchet souciez soudain soudaines souderont soudieres soufflees soufflera souffleras soufflets souffleurs soufrieres souilla souillai souillas
souillat souillon souliers soumise soupieres souques souries soutaches soutiers soutras soyeux spinal spinet springy stance staples starry starves
sterent stone stressante sucon suerent suggeres surcuit surent surgeles surgeries suros tabasse tabes taches taille taise taken tallas taloche
tambouille tamer tamers tamiers tance tangon tannat tannes tantes taras tardas tardillon tardy tarees tarentin tares taries taris tarons taros tarpon
tarry tarses tartan tartans tartar tartars tartes tartis tarts tarzan tassat tassel tatas taulard taules taure taurins tavela tavele tavern taverne
taverns teigne teignisse telle temenos tenace tendres tenon tenpin tense tente tenue tergal ternis terrailles terres terreux terris tersee testas
thais thank thees theiers their theirs thence there these theta thiase thine thongs thons those thrones thune tiennes tiers tiger tigers tillerent
tillers times tingles tinselled tirets tisse toisat toise toliers tombas tombez tondues tones tonnas tonne tonnelier tonnelles toques torch torpillas
torpilles torques torse torte tortillas tortilles torus torves tossed tosser tosses touas touch touchames toucherais toucheras toucherons touchez
touchy toues touffe touffeurs touillais touillas touloupe toupillas toupillon touque tourbiere tourbieres tourd tourelles tourieres touries tourillon
tourmentes tournas tournette tournilles tournis touron tourtes tourtiere tourtieres tousse toussiez touts trades traine tramat travaux travel
travelings treas treat treats trebles trees treillisses treks tress tressage tressages tressasse tressaute tresserai tresseras tresserez tresseriez
treuillai treuillais treuillas treuillat treuillee treuillent treuiller treuilles treuillez triais triant tribes tricheront tries trieur trifouillas
trones tropes trots troua troue troues trouillard trous trout troyen troyens troys truces trues truffiers truies truques tubais turves tusse tyran
unimes urane urgences urine usance userent usine usuel vaches vaille vaines vairon valais valance valences valentin valentines valet vallee valley
vallon vallonne vallonnes valserions valserons valseront valves vandas vanes vanilliers vannas vannat vanned vannee vannees vannelles vanner vannez
vanta vantes varan varangues varans variantes variat varlet varves vautours veaux veillerent veine veines velars velin velleites velos veloutiers
venaison venaisons venat venaux vendait vendangees vendanges vendant vende vended vendeen vender venders vendez vendit vendras vendre vendrez vendue
vendues venee veneres venet venge vengee venielles ventailles ventat vente ventee ventilera ventilerai ventres venue veraison verdet verdin vergee
vergete vergues verins vermeil vermeille vermeilles vermet vermicelles vermillas vermillee vermillees vermiller vermilles vermillez vermoules
vernalisons vernation verni vernis vernit verrerie verres verrou verrouillat verrouille verrouillee verrouillent verrouiller verrouilles verrouillez
versaillais versatiles verseaux versee verset version verso versons versos vertu vervet vesce veston veuille vibrage vibrate viciat vieille viellerent
viennes vigne vignon vilaines villa village villainies villas vimes vinai vinas vinat vincennois violacees violaient violasses violerent violines
virailles virait virames virat visors visse vitriolees vitrioles voire vousse vrille vrillerent wages walkers wallet wallets wallonnes wangles wanton
wattmen wiggles winches wingless wishes witches worse woven wrens wrest xenon yassat yeuse yours zestas zillion zonage
`;

/** Folded words never corrected into a place. */
export const TYPO_GUARD: ReadonlySet<string> = new Set(LIST.trim().split(/\s+/));
