package io.prenas.architecture;

import static com.tngtech.archunit.core.domain.JavaModifier.PUBLIC;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The import rule of the project, in one place:
 * <ul>
 *   <li>pure algorithm code ({@code space}, {@code tensorio}, {@code fileio}, {@code onnx}, a family's {@code space}
 *       package such as {@code vit.space} or {@code cnn.space}, the CNN selector {@code cnn.selection}) imports
 *       neither DJL nor Spring nor JobRunr;</li>
 *   <li>engine code ({@code supernet}, {@code selector}, {@code training}, {@code data}, the model families such as
 *       {@code vit} and {@code cnn}) may use DJL but not Spring or JobRunr;</li>
 *   <li>a model family's code is used by nothing outside its package: the pipeline reaches it through
 *       {@code space.ModelFamily} and the ports it hands out ({@link #modelFamiliesStayBehindTheirSeam});</li>
 *   <li>edge code ({@code cli}, {@code api}, {@code catalog}, {@code job}, {@code storage}, {@code security},
 *       {@code observability}) never touches DJL types: it calls the engine through entry points that take and
 *       return plain records ({@link #edgesUseOnlyTheEnginesEntryPoints});</li>
 *   <li>{@code system} is the one place where Spring meets the engine;</li>
 *   <li>no package cycles, neither between the top-level packages nor between any two packages at any depth
 *       ({@link #noPackageCycles}).</li>
 * </ul>
 */
class LayeringTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.prenas");

  private static final String DJL = "ai.djl..";
  private static final String SPRING = "org.springframework..";
  private static final String JOBRUNR = "org.jobrunr..";
  private static final String[] ENGINE = {"io.prenas.supernet..", "io.prenas.selector..", "io.prenas.training..",
      "io.prenas.data..", "io.prenas.vit..", "io.prenas.cnn.."};
  /** The model families: each a package of its own, registered as a service of {@code space.ModelFamily}. */
  private static final String[] FAMILIES = {"io.prenas.vit..", "io.prenas.cnn.."};
  private static final String[] EDGES = {"io.prenas.cli..", "io.prenas.api..", "io.prenas.catalog..",
      "io.prenas.job..", "io.prenas.storage..", "io.prenas.security..", "io.prenas.observability.."};

  @Test
  void importRuleHolds() {
    ArchRule pure = noClasses()
        .that().resideInAnyPackage("io.prenas.space..", "io.prenas.tensorio..", "io.prenas.fileio..",
            "io.prenas.onnx..", "io.prenas.vit.space..", "io.prenas.cnn.space..", "io.prenas.cnn.selection..")
        .should().dependOnClassesThat().resideInAnyPackage(DJL, SPRING, JOBRUNR)
        .because("search spaces, counting, the CNN selector, tensor files, atomic file writes and ONNX graphs are "
            + "pure Java");
    ArchRule engine = noClasses()
        .that().resideInAnyPackage(ENGINE)
        .should().dependOnClassesThat().resideInAnyPackage(SPRING, JOBRUNR)
        .because("the engine runs the same from the CLI, tests and workers");
    ArchRule edges = noClasses()
        .that().resideInAnyPackage(EDGES)
        .should().dependOnClassesThat().resideInAnyPackage(DJL)
        .because("no NDArray, NDManager or Model crosses the engine boundary");
    ArchRule onnx = noClasses()
        .that().resideInAnyPackage(FAMILIES).and().haveSimpleNameContaining("Onnx")
        .should().dependOnClassesThat().resideInAnyPackage(DJL)
        .because("a family's ONNX export reads a standalone file and writes protobuf: an API node converts a"
            + " model without a tensor engine");
    CompositeArchRule.of(pure).and(engine).and(edges).and(onnx).allowEmptyShould(true).check(MAIN);
  }

  /**
   * Edge code uses the engine only through its entry points. An entry point is a class of an engine package
   * ({@code supernet}, {@code selector}, {@code training}, {@code data}) that is
   * <ul>
   *   <li>public (a nested class: public, inside a public class),</li>
   *   <li>not in an {@code ..internal..} sub-package (where the engine keeps what only the engine may call), and</li>
   *   <li>called only through constructors and methods whose parameter and return types are free of DJL: edge code
   *       hands plain Java values and records in and gets plain values back, never an {@code NDArray},
   *       {@code NDManager}, {@code Model} or {@code Device}.</li>
   * </ul>
   * No list of allowed classes to keep up to date: the engine decides what it exposes by visibility and package.
   */
  @Test
  void edgesUseOnlyTheEnginesEntryPoints() {
    ArchRule entryClasses = noClasses().that().resideInAnyPackage(EDGES)
        .should().dependOnClassesThat(notAnEntryPoint())
        .because("edge code may use only public engine classes outside ..internal.. packages");
    ArchRule plainSignatures = noClasses().that().resideInAnyPackage(EDGES)
        .should().callCodeUnitWhere(engineCodeUnitWithDjlSignature())
        .because("the engine's entry points take and return plain values, never DJL types");
    CompositeArchRule.of(entryClasses).and(plainSignatures).allowEmptyShould(true).check(MAIN);
  }

  /**
   * The model-family seam: no class outside a family's package names one of its classes. Selector driver, training
   * loop, jobs, catalog, API and CLI work on {@code space.SearchSpace}/{@code space.Architecture} and reach the
   * family through {@code space.ModelFamilies} (a {@code ServiceLoader} registry) and the ports it hands out
   * ({@code supernet.SupernetFactory}, {@code selector.CandidateSelection}), so a second family is a new package plus
   * one line in {@code META-INF/services}.
   */
  @Test
  void modelFamiliesStayBehindTheirSeam() {
    for (String family : FAMILIES) {
      ArchRule rule = noClasses().that().resideOutsideOfPackage(family)
          .should().dependOnClassesThat().resideInAPackage(family)
          .because("a model family is reached only through space.ModelFamily and its ports");
      rule.check(MAIN);
    }
  }

  /**
   * No cycles between the top-level packages ({@code io.prenas.job} and its sub-packages form one slice), nor between
   * any two packages at any depth (so none inside a package's sub-packages either).
   */
  @Test
  void noPackageCycles() {
    ArchRule topLevel = slices().matching("io.prenas.(*)..").should().beFreeOfCycles()
        .because("the top-level packages form layers");
    ArchRule anyDepth = slices().matching("io.prenas.(**)").should().beFreeOfCycles()
        .because("sub-packages of a package form layers too");
    CompositeArchRule.of(topLevel).and(anyDepth).allowEmptyShould(true).check(MAIN);
  }

  private static DescribedPredicate<JavaClass> notAnEntryPoint() {
    return DescribedPredicate.describe("are engine classes that are not entry points (not public, or ..internal..)",
        c -> inEngine(c) && (!isPublic(c) || c.getPackageName().contains(".internal")));
  }

  private static DescribedPredicate<JavaCall<?>> engineCodeUnitWithDjlSignature() {
    return DescribedPredicate.describe("an engine constructor or method with a DJL type in its signature",
        call -> inEngine(call.getTargetOwner()) && Stream.concat(call.getTarget().getRawParameterTypes().stream(),
                Stream.of(call.getTarget().getRawReturnType()))
            .anyMatch(t -> t.getBaseComponentType().getPackageName().startsWith("ai.djl")));
  }

  private static boolean inEngine(JavaClass c) {
    String p = c.getPackageName();
    return Stream.of(ENGINE).map(e -> e.substring(0, e.length() - 2))
        .anyMatch(e -> p.equals(e) || p.startsWith(e + "."));
  }

  /** Public, and so is every class it is nested in. */
  private static boolean isPublic(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (!k.getModifiers().contains(PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  /**
   * DJL's {@code Number}-operand arithmetic ({@code mul(Number)}, {@code div(Number)}, {@code add(Number)}, ...)
   * puts the scalar on a Java buffer that is freed while autograd still needs it for the backward pass: gradients
   * then read freed memory. Engine code goes through {@code supernet.Scalars}, which makes the scalar in libtorch.
   */
  @Test
  void noNumberOperandArithmeticOnEngineArrays() {
    ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName("io.prenas.supernet.Scalars")
        .should().callMethodWhere(numberOperandOfNdArray())
        .because("the scalar operand of DJL's Number overloads is freed before backward reads it; use Scalars");
    rule.allowEmptyShould(true).check(MAIN);
  }

  /**
   * DJL's {@code NDManager.create} from Java data ({@code float[]}, {@code long[]}, a {@code Buffer}, a number, ...)
   * wraps a direct buffer that only the garbage collector frees: native memory then grows with every batch until the
   * next collection (7 GB over 200 training steps), and autograd can read it after it is freed. Engine code makes such
   * arrays through {@code supernet.HostArrays}, which copies them into libtorch memory.
   */
  @Test
  void arraysFromJavaDataOnlyThroughHostArrays() {
    ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName("io.prenas.supernet.HostArrays")
        .should().callMethodWhere(createFromJavaData())
        .because("DJL's create(Java data) keeps a direct buffer that only GC frees; use HostArrays");
    rule.allowEmptyShould(true).check(MAIN);
  }

  private static DescribedPredicate<JavaMethodCall> createFromJavaData() {
    return DescribedPredicate.describe("NDManager.create with Java data", call -> {
      if (!call.getTargetOwner().isAssignableTo(NDManager.class) || !call.getName().equals("create")) {
        return false;
      }
      List<JavaClass> params = call.getTarget().getRawParameterTypes();
      return !params.isEmpty() && !params.get(0).isEquivalentTo(Shape.class);
    });
  }

  private static DescribedPredicate<JavaMethodCall> numberOperandOfNdArray() {
    return DescribedPredicate.describe("a method of NDArray/NDArrays with a java.lang.Number parameter", call -> {
      boolean ndOwner = call.getTargetOwner().isAssignableTo(NDArray.class)
          || call.getTargetOwner().isEquivalentTo(NDArrays.class);
      return ndOwner && call.getTarget().getRawParameterTypes().stream()
          .anyMatch(t -> t.isEquivalentTo(Number.class));
    });
  }
}
